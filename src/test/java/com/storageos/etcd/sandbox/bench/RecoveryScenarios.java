package com.storageos.etcd.sandbox.bench;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.status.MemberStatus;
import com.storageos.etcd.desired.BackupRequest;
import com.storageos.etcd.desired.RecoveryAnnotation;
import com.storageos.etcd.sandbox.Sandbox;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Optional;

/**
 * The operator's recoveries, timed from the request to full redundancy: every member a healthy voter again and the
 * recovery's journal closed. The writer starts with the request, while quorum is lost, so its first acknowledged write
 * is the first the recovered cluster took.
 */
final class RecoveryScenarios {
    private static final String BACKUP_CLAIM = "etcd-backups";

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
            return timed(run, RecoveryAnnotation.ANNOTATION, "bench");
        }
    }

    /**
     * Every member of three loses its process and volume after a backup to a claim; restore-from-backup=latest. The
     * chain-less restore: etcd's own restore of the snapshot into member 0, then the others as learners.
     */
    static OperatorScenarios.Result restoreInPlace() throws Exception {
        try (BenchRun run = new BenchRun()) {
            run.sandbox.client().persistentVolumeClaims().inNamespace(Sandbox.NAMESPACE).resource(new PersistentVolumeClaimBuilder()
                    .withNewMetadata().withName(BACKUP_CLAIM).endMetadata().withNewSpec().withAccessModes("ReadWriteOnce")
                    .withNewResources().addToRequests("storage", new Quantity("1Gi")).endResources().endSpec().build()).create();
            run.apply(3, """
                      backup:
                        schedule: "@daily"
                        pvc: {claimName: %s}
                    """.formatted(BACKUP_CLAIM));
            EtcdCluster before = run.await(c -> OperatorScenarios.ready(c, 3));
            run.annotate(BackupRequest.ANNOTATION, "bench");
            run.await(c -> c.getStatus().getLastBackup() != null);
            for (MemberStatus m : before.getStatus().getMembers()) {
                run.sandbox.node().wipeVolume(Sandbox.NAMESPACE, m.getName());
            }
            run.await(c -> "QuorumLost".equals(available(c)));
            return timed(run, RecoveryAnnotation.RESTORE_ANNOTATION, "latest");
        }
    }

    /** From the request to full redundancy with the recovery completed, a writer and the timeline running throughout. */
    private static OperatorScenarios.Result timed(BenchRun run, String annotation, String value) throws Exception {
        try (BackgroundWriter writer = run.writer(); Timeline timeline = run.timeline()) {
            long start = System.nanoTime();
            timeline.begin();
            run.annotate(annotation, value);
            run.await(c -> OperatorScenarios.ready(c, 3) && c.getStatus().getPendingChange() == null
                    && c.getStatus().getRecovery() != null && "Completed".equals(c.getStatus().getRecovery().getOutcome()));
            long millis = EtcdFloors.millisSince(start);
            writer.firstSuccessNanos().ifPresent(at -> timeline.mark(at, "first write acknowledged"));
            return new OperatorScenarios.Result(millis, writer.longestOutageMillis(), timeline.lines());
        }
    }

    private static String available(EtcdCluster c) {
        return Optional.ofNullable(c.getStatus()).flatMap(s -> s.getConditions().stream().filter(x -> "Available".equals(x.getType())).findFirst())
                .map(x -> x.getReason()).orElse("");
    }
}
