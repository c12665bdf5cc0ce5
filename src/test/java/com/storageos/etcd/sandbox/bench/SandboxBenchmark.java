package com.storageos.etcd.sandbox.bench;

import com.storageos.etcd.naming.LoopbackMemberAddressing;
import com.storageos.etcd.sandbox.Sandbox;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code sandbox bench [--only TEXT]}: times the operator in fresh sandboxes (Ready with 1, 3 and 5 members, 3→5, and
 * the repair of each failure kind: a container kill, a pod delete, a volume wiped under its running pod,
 * a lost node, two lost nodes of five; a recovery from a survivor and a restore in place) beside etcd's own floors measured in the same run with plain etcd
 * processes, and prints one table. {@code --only} keeps the scenarios whose name contains TEXT, with their floors.
 * A benchmark, not a test: it asserts nothing.
 */
public final class SandboxBenchmark {

    private interface Measurement<T> {
        T measure() throws Exception;
    }

    /** One row: the operator's scenario, its by-hand floor's name and measurement, and optionally the static floor. */
    private record Scenario(String name, String floor, Measurement<Long> floorRun, Measurement<Long> staticRun,
                            Measurement<OperatorScenarios.Result> operator) {
    }

    private SandboxBenchmark() {
    }

    public static int run(String only) throws Exception {
        Map<String, Long> floors = new HashMap<>(); // a floor shared by several rows is measured once
        List<BenchTable.Row> rows = new ArrayList<>();
        Map<String, List<String>> timelines = new LinkedHashMap<>();
        for (Scenario s : scenarios()) {
            if (!s.name().contains(only)) {
                continue;
            }
            Long staticFloor = s.staticRun() == null ? null : step("floor: static bootstrap for " + s.name(), s.staticRun());
            Long floor = floors.containsKey(s.floor()) ? floors.get(s.floor()) : step("floor: " + s.floor(), s.floorRun());
            floors.put(s.floor(), floor);
            OperatorScenarios.Result op = step("operator: " + s.name(), s.operator());
            rows.add(new BenchTable.Row(s.name(), op.millis(), floor, staticFloor, op.outageMillis()));
            timelines.put(s.name(), op.timeline());
        }
        timelines.forEach((name, lines) -> {
            System.out.println();
            System.out.println("timeline: " + name + " (ms from the change)");
            lines.forEach(System.out::println);
        });
        System.out.println();
        System.out.print(BenchTable.format(rows));
        System.out.println(BenchTable.NOTE);
        System.out.println("Operator times run from the change (apply, patch, fault) to Ready=True with nothing pending and");
        System.out.println("every member a healthy voter; floors run until every member's /health is true. The write outage is the");
        System.out.println("longest gap between successful puts (1 s deadline, one every ~20 ms) from the first success on.");
        return 0;
    }

    private static List<Scenario> scenarios() {
        List<Scenario> all = new ArrayList<>();
        for (int n : new int[] {1, 3, 5}) {
            all.add(new Scenario("Ready, " + n + (n == 1 ? " member" : " members"), "learner path 1->" + n,
                    () -> EtcdFloors.learnerPath(1, n, true), () -> EtcdFloors.staticBootstrap(n), () -> OperatorScenarios.ready(n)));
        }
        all.add(new Scenario("scale 3->5", "learner path 3->5", () -> EtcdFloors.learnerPath(3, 5, false), null,
                OperatorScenarios::threeToFive));
        String restart = "a follower restarted on its data";
        all.add(new Scenario("repair: container kill -9 (3)", restart, EtcdFloors::restartOnData, null,
                () -> OperatorScenarios.repair(3, 1, (node, pod) -> node.killContainer(Sandbox.NAMESPACE, pod), false)));
        all.add(new Scenario("repair: pod deleted (3)", restart, EtcdFloors::restartOnData, null,
                () -> OperatorScenarios.repair(3, 1, (node, pod) -> node.deletePod(Sandbox.NAMESPACE, pod), false)));
        String lostVolume = "lost-volume repair";
        all.add(new Scenario("repair: volume wiped under its pod (3)", lostVolume, RecoveryFloors::lostVolumeRepair, null,
                () -> OperatorScenarios.repair(3, 1, (node, pod) -> node.wipeVolume(Sandbox.NAMESPACE, pod), true)));
        all.add(new Scenario("repair: lost node, pod+claim (3)", lostVolume, RecoveryFloors::lostVolumeRepair, null,
                () -> OperatorScenarios.repair(3, 1, (node, pod) -> node.losePodAndClaim(Sandbox.NAMESPACE, pod), true)));
        all.add(new Scenario("repair: two lost nodes at once (5)", "two lost volumes in 5", () -> RecoveryFloors.lostVolumesRepair(5, 2), null,
                () -> OperatorScenarios.repair(5, 2, (node, pod) -> node.losePodAndClaim(Sandbox.NAMESPACE, pod), true)));
        all.add(new Scenario("recovery from a survivor (3)", "recovery from a survivor by hand", RecoveryFloors::survivorRecovery, null,
                RecoveryScenarios::fromSurvivor));
        all.add(new Scenario("restore in place, every volume lost (3)", "restore from a snapshot by hand", RecoveryFloors::backupRestore, null,
                RecoveryScenarios::restoreInPlace));
        return all;
    }

    private static <T> T step(String what, Measurement<T> measurement) throws Exception {
        System.out.println("bench: " + what + " ...");
        T result = measurement.measure();
        System.out.println("bench: " + what + ": " + result);
        return result;
    }

    /** Its own loopback prefix for every measurement, so nothing collides with another run on this machine. */
    public static LoopbackMemberAddressing freshAddressing() {
        return new LoopbackMemberAddressing(ThreadLocalRandom.current().nextInt(2, 250), ThreadLocalRandom.current().nextInt(1, 250));
    }
}
