package com.storageos.etcd.sandbox.bench;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.status.MemberStatus;
import com.storageos.etcd.desired.RecoveryAnnotation;
import com.storageos.etcd.sandbox.Sandbox;
import java.util.Optional;

/**
 * The operator's recoveries, timed from the request to full redundancy: every member a healthy voter again and the
 * recovery's journal closed. The writer starts with the request, while quorum is lost, so its first acknowledged write
 * is the first the recovered cluster took.
 */
final class RecoveryScenarios {
    private RecoveryScenarios() {
    }

    /** Two of three members lose their process and volume; recover-from-survivor on the leader that is left. */
    static OperatorScenarios.Result fromSurvivor() throws Exception {
        try (BenchRun run = new BenchRun()) {
            run.apply(3);
            EtcdCluster before = run.await(c -> OperatorScenarios.ready(c, 3));
            String survivor = before.getStatus().getLeader();
            for (MemberStatus m : before.getStatus().getMembers()) {
                if (!m.getName().equals(survivor)) {
                    run.sandbox.node().wipeVolume(Sandbox.NAMESPACE, m.getName());
                }
            }
            run.await(c -> "QuorumLost".equals(available(c)));
            try (BackgroundWriter writer = run.writer(); Timeline timeline = run.timeline()) {
                long start = System.nanoTime();
                timeline.begin();
                run.annotate(RecoveryAnnotation.ANNOTATION, "bench");
                run.await(c -> OperatorScenarios.ready(c, 3) && c.getStatus().getPendingChange() == null
                        && c.getStatus().getRecovery() != null && "Completed".equals(c.getStatus().getRecovery().getOutcome()));
                long millis = EtcdFloors.millisSince(start);
                writer.firstSuccessNanos().ifPresent(at -> timeline.mark(at, "first write acknowledged"));
                return new OperatorScenarios.Result(millis, writer.longestOutageMillis(), timeline.lines());
            }
        }
    }

    private static String available(EtcdCluster c) {
        return Optional.ofNullable(c.getStatus()).flatMap(s -> s.getConditions().stream().filter(x -> "Available".equals(x.getType())).findFirst())
                .map(x -> x.getReason()).orElse("");
    }
}
