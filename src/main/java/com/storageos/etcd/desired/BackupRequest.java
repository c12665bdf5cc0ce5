package com.storageos.etcd.desired;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.naming.RequestAnnotations;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * An on-demand backup: {@code kubectl annotate etcdcluster/x etcd.storageos.com/backup-now=$(date +%s)}.
 * Each new value asks for one backup. The reconciler remembers the value it last served (for example
 * in the annotation {@link #HANDLED_ANNOTATION}) and writes it only after the Job exists.
 */
public final class BackupRequest {
    public static final String ANNOTATION = RequestAnnotations.BACKUP_NOW;
    public static final String HANDLED_ANNOTATION = "etcd.storageos.com/backup-now-handled";

    private BackupRequest() {
    }

    /** The request value still to serve, if the cluster has a backup spec and a value not yet handled. */
    public static Optional<String> pending(EtcdCluster cluster) {
        Map<String, String> annotations = Optional.ofNullable(cluster.getMetadata().getAnnotations()).orElse(Map.of());
        String requested = annotations.get(ANNOTATION);
        if (requested == null || requested.isBlank() || cluster.getSpec().getBackup() == null) {
            return Optional.empty();
        }
        return requested.equals(annotations.get(HANDLED_ANNOTATION)) ? Optional.empty() : Optional.of(requested);
    }

    /** A DNS-safe Job name that is the same for the same request, whatever characters the value has. */
    public static String jobName(ClusterNames names, String request) {
        String base = names.backupCronJob();
        return base.substring(0, Math.min(base.length(), 47)) + "-now-" + shortHash(request);
    }

    private static String shortHash(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 5);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
