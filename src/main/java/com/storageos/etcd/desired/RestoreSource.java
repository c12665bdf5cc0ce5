package com.storageos.etcd.desired;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.spec.BackupSpec;
import com.storageos.etcd.api.v1alpha1.spec.RestoreSpec;
import com.storageos.etcd.api.v1alpha1.status.EtcdClusterStatus;
import com.storageos.etcd.api.v1alpha1.status.RecoveryStatus;
import com.storageos.etcd.membership.EtcdVersion;
import com.storageos.etcd.membership.Journal;
import com.storageos.etcd.toolcontract.RestoreTarget;
import com.storageos.etcd.toolcontract.ToolEnv;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The backup member 0 is seeded from, and what its bootstrap init container needs to read it (the backup volume or
 * the S3 credentials). Two cases: spec.bootstrap.restore until the cluster has formed, and a restore-from-backup
 * recovery while its journal is open (the backup status.recovery names, from spec.backup's store). Only then: a
 * backup claim is usually ReadWriteOnce, and members created later (on other nodes) must not wait for it.
 */
public final class RestoreSource {
    public static final String VOLUME = "restore-source";
    /** The init container's environment that names the backup store; the rest of the store's spec the tool reads from the cluster. */
    public static final Set<String> ENV = Set.of(ToolEnv.BACKUP_DIR, ToolEnv.AWS_ACCESS_KEY_ID, ToolEnv.AWS_SECRET_ACCESS_KEY);

    private RestoreSource() {
    }

    /** A restore-from-backup recovery is open: its journal is in status.pendingChange. */
    public static boolean inPlace(EtcdCluster cluster) {
        return Optional.ofNullable(cluster.getStatus()).map(EtcdClusterStatus::getPendingChange)
                .filter(p -> Journal.Operation.RestoreFromBackup.name().equals(p.getOperation())).isPresent();
    }

    /** The cluster runs etcd 3.4, whose data is restored from full snapshots only: the chains are replayed by etcd 3.5. */
    public static boolean snapshotsOnly(EtcdCluster cluster) {
        return EtcdVersion.parse(cluster.getSpec().getVersion()).map(v -> !v.atLeast(3, 5)).orElse(false);
    }

    /** What member 0 restores now, if anything. */
    public static Optional<RestoreSpec> toSeed(EtcdCluster cluster) {
        Optional<EtcdClusterStatus> status = Optional.ofNullable(cluster.getStatus());
        if (inPlace(cluster)) {
            String backup = status.map(EtcdClusterStatus::getRecovery).map(RecoveryStatus::getBackup).orElse("latest");
            return inPlaceStore(cluster).map(store -> {
                RestoreSpec r = target(backup);
                r.setClusterName(store.getClusterName());
                r.setPvc(store.getPvc());
                r.setS3(store.getS3());
                return r;
            });
        }
        boolean formed = status.map(EtcdClusterStatus::getClusterId).isPresent();
        return Optional.ofNullable(cluster.getSpec().getBootstrap()).map(b -> b.getRestore()).filter(r -> !formed);
    }

    /**
     * The annotation's target in spec.bootstrap.restore's terms, for the bootstrap to read one way; a target the operator
     * would have refused (status.recovery written by hand) is passed on as a backup name, which the bootstrap refuses.
     */
    private static RestoreSpec target(String requested) {
        RestoreSpec r = new RestoreSpec();
        RestoreTarget target;
        try {
            target = RestoreTarget.parse(requested);
        } catch (IllegalArgumentException e) {
            r.setBackup(requested);
            return r;
        }
        if (target instanceof RestoreTarget.AtRevision at) {
            r.setRevision(at.revision());
        } else if (target instanceof RestoreTarget.AtTime at) {
            r.setTime(at.time().toString());
        } else if (target instanceof RestoreTarget.Backup b) {
            r.setBackup(b.name());
        }
        return r;
    }

    /**
     * Where a restore in place reads this cluster's backups: spec.backup's destination (the backups it takes), else the
     * store spec.bootstrap.restore named. Described for the status, empty when neither is set.
     */
    public static Optional<String> backupStore(EtcdCluster cluster) {
        return inPlaceStore(cluster).map(r -> r.getPvc() != null
                ? "PersistentVolumeClaim " + r.getPvc().getClaimName() + ", directory " + pvcDir(r, cluster)
                : "s3://" + r.getS3().getBucket() + "/" + Optional.ofNullable(r.getS3().getPrefix()).orElse(""));
    }

    private static Optional<RestoreSpec> inPlaceStore(EtcdCluster cluster) {
        BackupSpec backup = cluster.getSpec().getBackup();
        if (backup != null && (backup.getPvc() != null || backup.getS3() != null)) {
            RestoreSpec r = new RestoreSpec();
            r.setPvc(backup.getPvc());
            r.setS3(backup.getS3());
            return Optional.of(r);
        }
        return Optional.ofNullable(cluster.getSpec().getBootstrap()).map(b -> b.getRestore());
    }

    /** As the backup Job writes it: the claim's path, else the name of the cluster whose backups they are. */
    private static String pvcDir(RestoreSpec r, EtcdCluster cluster) {
        return ToolEnv.BACKUP_MOUNT + "/" + Optional.ofNullable(r.getPvc().getPath())
                .orElse(Optional.ofNullable(r.getClusterName()).orElse(cluster.getMetadata().getName()));
    }

    static List<Volume> volumes(EtcdCluster cluster) {
        return toSeed(cluster).filter(r -> r.getPvc() != null)
                .map(r -> List.of(new VolumeBuilder().withName(VOLUME).withNewPersistentVolumeClaim()
                        .withClaimName(r.getPvc().getClaimName()).withReadOnly(true).endPersistentVolumeClaim().build()))
                .orElse(List.of());
    }

    static List<VolumeMount> mounts(EtcdCluster cluster) {
        return volumes(cluster).isEmpty() ? List.of()
                : List.of(new VolumeMountBuilder().withName(VOLUME).withMountPath(ToolEnv.BACKUP_MOUNT).withReadOnly(true).build());
    }

    static List<EnvVar> env(EtcdCluster cluster) {
        List<EnvVar> env = new ArrayList<>();
        toSeed(cluster).ifPresent(r -> {
            if (r.getS3() != null) {
                env.addAll(ToolPodTemplate.s3Credentials(r.getS3()));
            } else {
                env.add(ToolPodTemplate.env(ToolEnv.BACKUP_DIR, pvcDir(r, cluster)));
            }
        });
        return env;
    }
}
