package com.storageos.etcd.sandbox;

import com.storageos.etcd.naming.LoopbackMemberAddressing;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code sandbox bench}: times the operator in fresh sandboxes (Ready with 1, 3 and 5 members, 3→5, and
 * the repair of each failure kind: a container kill, a pod delete, a volume wiped under its running pod,
 * a lost node, two lost nodes of five) beside etcd's own floors measured in the same run with plain etcd
 * processes, and prints one table. A benchmark, not a test: it asserts nothing.
 */
public final class SandboxBenchmark {

    private SandboxBenchmark() {
    }

    public static int run() throws Exception {
        List<BenchTable.Row> rows = new ArrayList<>();
        for (int n : new int[] {1, 3, 5}) {
            long staticFloor = step("floor: static bootstrap of " + n, () -> EtcdFloors.staticBootstrap(n));
            long learnerFloor = step("floor: learner path 1->" + n, () -> EtcdFloors.learnerPath(1, n, true));
            OperatorScenarios.Result op = step("operator: Ready with " + n, () -> OperatorScenarios.ready(n));
            rows.add(new BenchTable.Row("Ready, " + n + (n == 1 ? " member" : " members"), op.millis(), learnerFloor, staticFloor,
                    op.outageMillis()));
        }
        long scaleFloor = step("floor: learner path 3->5", () -> EtcdFloors.learnerPath(3, 5, false));
        OperatorScenarios.Result scale = step("operator: 3->5", OperatorScenarios::threeToFive);
        rows.add(new BenchTable.Row("scale 3->5", scale.millis(), scaleFloor, null, scale.outageMillis()));
        long restartFloor = step("floor: a follower restarted on its data", EtcdFloors::restartOnData);
        OperatorScenarios.Result kill = step("operator: container kill",
                () -> OperatorScenarios.repair(3, 1, (node, pod) -> node.killContainer(Sandbox.NAMESPACE, pod), false));
        rows.add(new BenchTable.Row("repair: container kill -9 (3)", kill.millis(), restartFloor, null, kill.outageMillis()));
        OperatorScenarios.Result delete = step("operator: pod delete",
                () -> OperatorScenarios.repair(3, 1, (node, pod) -> node.deletePod(Sandbox.NAMESPACE, pod), false));
        rows.add(new BenchTable.Row("repair: pod deleted (3)", delete.millis(), restartFloor, null, delete.outageMillis()));
        long repairFloor = step("floor: lost-volume repair", EtcdFloors::lostVolumeRepair);
        OperatorScenarios.Result wiped = step("operator: volume wiped under the running pod",
                () -> OperatorScenarios.repair(3, 1, (node, pod) -> node.wipeVolume(Sandbox.NAMESPACE, pod), true));
        rows.add(new BenchTable.Row("repair: volume wiped under its pod (3)", wiped.millis(), repairFloor, null, wiped.outageMillis()));
        OperatorScenarios.Result lostNode = step("operator: lost node (pod and claim)",
                () -> OperatorScenarios.repair(3, 1, (node, pod) -> node.losePodAndClaim(Sandbox.NAMESPACE, pod), true));
        rows.add(new BenchTable.Row("repair: lost node, pod+claim (3)", lostNode.millis(), repairFloor, null, lostNode.outageMillis()));
        long twoFloor = step("floor: two lost volumes in 5", () -> EtcdFloors.lostVolumesRepair(5, 2));
        OperatorScenarios.Result two = step("operator: two of 5 lose pod and claim at once",
                () -> OperatorScenarios.repair(5, 2, (node, pod) -> node.losePodAndClaim(Sandbox.NAMESPACE, pod), true));
        rows.add(new BenchTable.Row("repair: two lost nodes at once (5)", two.millis(), twoFloor, null, two.outageMillis()));
        System.out.println();
        System.out.print(BenchTable.format(rows));
        System.out.println(BenchTable.NOTE);
        System.out.println("Operator times run from the change (apply, patch, fault) to Ready=True with nothing pending and");
        System.out.println("every member a healthy voter; floors run until every member's /health is true. The write outage is the");
        System.out.println("longest gap between successful puts (1 s deadline, one every ~20 ms) from the first success on.");
        return 0;
    }

    private interface Measurement<T> {
        T measure() throws Exception;
    }

    private static <T> T step(String what, Measurement<T> measurement) throws Exception {
        System.out.println("bench: " + what + " ...");
        T result = measurement.measure();
        System.out.println("bench: " + what + ": " + result);
        return result;
    }

    /** Its own loopback prefix for every measurement, so nothing collides with another run on this machine. */
    static LoopbackMemberAddressing freshAddressing() {
        return new LoopbackMemberAddressing(ThreadLocalRandom.current().nextInt(2, 250), ThreadLocalRandom.current().nextInt(1, 250));
    }
}
