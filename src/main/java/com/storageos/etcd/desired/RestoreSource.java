package com.storageos.etcd.desired;

import com.storageos.etcd.toolcontract.ToolEnv;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.spec.RestoreSpec;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.List;
import java.util.Optional;

/**
 * What the bootstrap init container needs to seed member 0 from a backup: the backup volume or the
 * S3 credentials. Only until the cluster has formed: a backup claim is usually ReadWriteOnce, and
 * members created later (on other nodes) must not wait for it.
 */
final class RestoreSource {
    private static final String VOLUME = "restore-source";

    private RestoreSource() {
    }

    static Optional<RestoreSpec> whileSeeding(EtcdCluster cluster) {
        boolean formed = cluster.getStatus() != null && cluster.getStatus().getClusterId() != null;
        return Optional.ofNullable(cluster.getSpec().getBootstrap()).map(b -> b.getRestore()).filter(r -> !formed);
    }

    static List<Volume> volumes(EtcdCluster cluster) {
        return whileSeeding(cluster).filter(r -> r.getPvc() != null)
                .map(r -> List.of(new VolumeBuilder().withName(VOLUME).withNewPersistentVolumeClaim()
                        .withClaimName(r.getPvc().getClaimName()).withReadOnly(true).endPersistentVolumeClaim().build()))
                .orElse(List.of());
    }

    static List<VolumeMount> mounts(EtcdCluster cluster) {
        return volumes(cluster).isEmpty() ? List.of()
                : List.of(new VolumeMountBuilder().withName(VOLUME).withMountPath(ToolEnv.BACKUP_MOUNT).withReadOnly(true).build());
    }

    static List<EnvVar> env(EtcdCluster cluster) {
        return whileSeeding(cluster).filter(r -> r.getS3() != null).map(r -> ToolPodTemplate.s3Credentials(r.getS3())).orElse(List.of());
    }
}
