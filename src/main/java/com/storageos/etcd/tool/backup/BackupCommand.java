package com.storageos.etcd.tool.backup;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.spec.BackupSpec;
import com.storageos.etcd.api.v1alpha1.status.BackupStatus;
import com.storageos.etcd.api.v1alpha1.status.ConditionReason;
import com.storageos.etcd.api.v1alpha1.status.EtcdClusterStatus;
import com.storageos.etcd.api.v1alpha1.status.RestoreCheckStatus;
import com.storageos.etcd.etcdclient.EtcdAdmin;
import com.storageos.etcd.etcdclient.EtcdAdminFactory;
import com.storageos.etcd.tool.ClientTlsFiles;
import com.storageos.etcd.tool.ClusterRecorder;
import com.storageos.etcd.tool.ProgressReporter;
import com.storageos.etcd.tool.ToolCommand;
import com.storageos.etcd.toolcontract.ToolEnv;
import com.storageos.etcd.toolcontract.ToolProgress;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code tool backup}: a verified snapshot from a healthy member (followers first), published to the
 * PVC or S3, then the optional restore check, then retention, then status.lastBackup, the BackupSucceeded condition and an Event.
 * Any failure records BackupSucceeded=False and exits 1 with one line on stderr.
 */
public final class BackupCommand implements ToolCommand {
    public static final String CONDITION = "BackupSucceeded";

    private final Supplier<KubernetesClient> kubernetes;
    private final EtcdAdminFactory admins;
    private final Clock clock;

    public BackupCommand(Supplier<KubernetesClient> kubernetes, EtcdAdminFactory admins, Clock clock) {
        this.kubernetes = kubernetes;
        this.admins = admins;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "backup";
    }

    @Override
    public int run(List<String> args, Map<String, String> env) {
        ClusterRecorder recorder = new ClusterRecorder(kubernetes.get(), required(env, ToolEnv.NAMESPACE),
                required(env, ToolEnv.CLUSTER_NAME), clock);
        EtcdCluster cluster = recorder.get();
        Long generation = cluster.getMetadata().getGeneration();
        ProgressReporter progress = new ProgressReporter(recorder, clock, ToolProgress.BACKUP, "Bytes", ToolProgress.REFRESH);
        try {
            BackupStatus done = backUp(cluster, env, progress);
            if (done.getRestoreCheck() != null && !done.getRestoreCheck().getSucceeded()) {
                recorder.event("Warning", "RestoreCheckFailed", done.getRestoreCheck().getMessage());
            }
            String message = "backup of " + done.getSizeBytes() + " bytes from " + done.getMember() + " at " + done.getLocation();
            recorder.record(s -> {
                s.setLastBackup(done);
                recorder.setCondition(s, CONDITION, true, ConditionReason.BackupCompleted, message, generation);
            });
            recorder.event("Normal", "BackupSucceeded", message);
            System.out.println(message);
            return 0;
        } catch (Exception e) {
            String message = "backup failed: " + e.getMessage();
            ConditionReason reason = e instanceof ForeignCluster ? ConditionReason.ClusterIdMismatch : ConditionReason.BackupFailed;
            recorder.record(s -> recorder.setCondition(s, CONDITION, false, reason, message, generation));
            recorder.event("Warning", "BackupFailed", message);
            System.err.println(message);
            return 1;
        } finally {
            progress.clear();
        }
    }

    BackupStatus backUp(EtcdCluster cluster, Map<String, String> env, ProgressReporter progress) throws IOException {
        BackupSpec spec = cluster.getSpec().getBackup();
        if (spec == null) {
            throw new IllegalArgumentException("spec.backup is not set");
        }
        String name = cluster.getMetadata().getName();
        Instant start = clock.instant();
        List<String> endpoints = Arrays.asList(required(env, ToolEnv.ENDPOINTS).split(","));
        try (BackupStore store = BackupStore.open(spec.getPvc(), spec.getS3(), env, cluster.getMetadata().getNamespace(), name);
             EtcdAdmin admin = admins.connect(endpoints, ClientTlsFiles.read(env))) {
            ForeignCluster.check(cluster, admin.clusterId(), endpoints);
            BackupName backupName = BackupName.of(name, start);
            SnapshotTaker.Taken taken = new SnapshotTaker(admin).take(SnapshotSource.discover(admin, endpoints),
                    stagingFile(store.stagingDir(), backupName), (source, streamed, dbSize) -> progress.report(streamed, dbSize,
                            "streaming a snapshot from " + source.name() + ": " + mib(streamed) + " of about " + mib(dbSize)));
            String location = store.publish(taken.snapshot(), backupName);
            BackupStatus status = status(taken, location, start);
            if (Boolean.TRUE.equals(spec.getRestoreCheck())) {
                status.setRestoreCheck(new RestoreCheck(clock).run(spec, cluster.getSpec().getVersion(), env,
                        Path.of(env.getOrDefault(ToolEnv.SCRATCH_DIR, ToolEnv.SCRATCH_MOUNT))));
                status.getRestoreCheck().setLastPassedBackup(RestoreCheck.lastPassed(status.getRestoreCheck(),
                        previousCheck(cluster)).orElse(null));
            }
            applyRetention(store, Retention.of(spec.getRetention().getKeepLast(), spec.getRetention().getMaxAge()), clock.instant(),
                    Optional.ofNullable(status.getRestoreCheck()).map(RestoreCheckStatus::getLastPassedBackup));
            return status;
        }
    }

    /**
     * Only after a verified, published backup, and after its restore check: the newest is never deleted, nor the last
     * backup that passed its check while newer ones fail theirs, nor the newest snapshot with a change chain (the backup
     * agent may be writing that chain now; it moves to the newest snapshot once this backup's status names it). A
     * snapshot's change chain goes with it.
     */
    static void applyRetention(BackupStore store, Retention retention, Instant now, Optional<String> keep) throws IOException {
        List<BackupName> doomed = new ArrayList<>(retention.toDelete(store.list(), now, keep));
        List<ChunkName> chunks = doomed.isEmpty() ? List.of() : store.chunks();
        chunks.stream().map(ChunkName::snapshot).max(Comparator.naturalOrder()).ifPresent(doomed::remove);
        for (BackupName old : doomed) {
            // The snapshot first: a chain without its snapshot is never restored, a snapshot without its chain would be.
            store.delete(old);
            for (ChunkName chunk : chunks) {
                if (chunk.snapshot().equals(old)) {
                    store.deleteChunk(chunk);
                }
            }
        }
    }

    private static RestoreCheckStatus previousCheck(EtcdCluster cluster) {
        return Optional.ofNullable(cluster.getStatus()).map(EtcdClusterStatus::getLastBackup).map(BackupStatus::getRestoreCheck).orElse(null);
    }

    private BackupStatus status(SnapshotTaker.Taken taken, String location, Instant start) {
        BackupStatus s = new BackupStatus();
        s.setTime(start.toString());
        s.setSizeBytes(taken.snapshot().size());
        s.setSha256(taken.snapshot().sha256());
        s.setLocation(location);
        s.setMember(taken.source().name());
        s.setRevision(taken.revision());
        s.setDurationSeconds(Duration.between(start, clock.instant()).toMillis() / 1000.0);
        return s;
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }

    public static String required(Map<String, String> env, String key) {
        String value = env.get(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(key + " is not set");
        }
        return value;
    }

    /** A hidden name that retention and restore never mistake for a backup. */
    public static Path stagingFile(Path dir, BackupName name) {
        return dir.resolve("." + name.name() + ".partial");
    }
}
