package com.storageos.etcd.tool.pitr;

import com.storageos.etcd.api.v1alpha1.status.BackupStatus;
import com.storageos.etcd.api.v1alpha1.status.ContinuousBackupStatus;
import com.storageos.etcd.api.v1alpha1.status.EtcdClusterStatus;
import com.storageos.etcd.api.v1alpha1.status.RecoveryPointStatus;
import com.storageos.etcd.tool.ClusterRecorder;
import com.storageos.etcd.tool.backup.BackupName;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The agent's side of the status: status.continuousBackup, written through the one status writer every {@link #EVERY}
 * (one read and one patch of the EtcdCluster per cluster each time; the operator's reconciles are not woken by status
 * writes). The status it reads back also names the scheduled backup's newest snapshot, which the chain then moves to.
 * Best effort: a failed write is retried with the next.
 */
final class RecoveryPointReporter {
    /** Well inside the recovery point alert's 60 s default, at one status write per cluster every 5 s. */
    static final Duration EVERY = Duration.ofSeconds(5);

    private final ClusterRecorder recorder;
    private final ChangeFollower follower;
    private final String cluster;
    private final Clock clock;

    RecoveryPointReporter(ClusterRecorder recorder, ChangeFollower follower, String cluster, Clock clock) {
        this.recorder = recorder;
        this.follower = follower;
        this.cluster = cluster;
        this.clock = clock;
    }

    void report() {
        Optional<RecoveryPoint> point = follower.recoveryPoint();
        if (point.isEmpty()) {
            try {
                follower.expectCluster(recordedClusterId(recorder.get().getStatus()));
            } catch (RuntimeException e) {
                System.err.println("could not read the EtcdCluster: " + e.getMessage());
            }
            return;
        }
        ContinuousBackupStatus own = status(point.get(), follower.snapshot().map(BackupName::name).orElse(null), follower.failedWrites(), clock);
        try {
            recorder.record(s -> {
                follower.expectCluster(recordedClusterId(s));
                scheduledSnapshot(cluster, s).ifPresent(b -> follower.rebase(b, s.getLastBackup().getRevision()));
                s.setContinuousBackup(own);
            });
        } catch (RuntimeException e) {
            // Whatever the failure (the API server away, five conflicts): a scheduled task that throws is never run again.
            System.err.println("could not record the recovery point: " + e.getMessage());
        }
    }

    /** status.clusterId as etcd reports it; 0 while the cluster has not formed. */
    static long recordedClusterId(EtcdClusterStatus status) {
        return status == null || status.getClusterId() == null ? 0 : Long.parseUnsignedLong(status.getClusterId(), 16);
    }

    static ContinuousBackupStatus status(RecoveryPoint point, String snapshot, long failedWrites, Clock clock) {
        ContinuousBackupStatus s = new ContinuousBackupStatus();
        s.setRecoveryPoint(new RecoveryPointStatus(point.revision(), point.asOf().toString()));
        s.setSnapshot(snapshot);
        s.setFailedChunkWrites(failedWrites);
        s.setUpdateTime(clock.instant().toString());
        return s;
    }

    /** The snapshot status.lastBackup names, by the last part of its location (a path or an s3:// URL), when it has a revision. */
    static Optional<BackupName> scheduledSnapshot(String cluster, EtcdClusterStatus status) {
        BackupStatus last = status.getLastBackup();
        if (last == null || last.getLocation() == null || last.getRevision() == null) {
            return Optional.empty();
        }
        return BackupName.parse(cluster, last.getLocation().substring(last.getLocation().lastIndexOf('/') + 1));
    }
}
