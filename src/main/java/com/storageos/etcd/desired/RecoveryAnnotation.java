package com.storageos.etcd.desired;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.status.RecoveryStatus;
import com.storageos.etcd.membership.RecoveryRequest;
import com.storageos.etcd.naming.RequestAnnotations;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The recovery requests of a cluster that lost quorum, each an annotation whose value is served once:
 * {@code kubectl annotate etcdcluster/x etcd.storageos.com/recover-from-survivor=$(date +%s)} recovers from the most
 * advanced surviving member; {@code etcd.storageos.com/restore-from-backup=latest} (or a backup's name) seeds member 0
 * from a backup when no member's data survived; {@code etcd.storageos.com/abort-recovery=$(date +%s)} closes the recovery
 * in progress where it stands. status.recovery.handled holds the value last served of each, written
 * in the same status write that starts (or refuses) the recovery.
 */
public final class RecoveryAnnotation {
    public static final String ANNOTATION = RequestAnnotations.RECOVER_FROM_SURVIVOR;
    public static final String RESTORE_ANNOTATION = RequestAnnotations.RESTORE_FROM_BACKUP;
    public static final String ABORT_ANNOTATION = RequestAnnotations.ABORT_RECOVERY;

    private RecoveryAnnotation() {
    }

    /**
     * The request still to serve, an abort first, then a survivor recovery: a value that status.recovery does not record
     * as handled.
     */
    public static Optional<RecoveryRequest> pending(EtcdCluster cluster) {
        return unhandled(cluster, ABORT_ANNOTATION).map(RecoveryRequest::abort)
                .or(() -> unhandled(cluster, ANNOTATION).map(RecoveryRequest::of))
                .or(() -> unhandled(cluster, RESTORE_ANNOTATION).map(v -> RecoveryRequest.fromBackup(v, RestoreSource.backupStore(cluster),
                        RestoreSource.snapshotsOnly(cluster))));
    }

    public static String annotationOf(RecoveryRequest request) {
        return switch (request.method()) {
            case FromBackup -> RESTORE_ANNOTATION;
            case Abort -> ABORT_ANNOTATION;
            case FromSurvivor -> ANNOTATION;
        };
    }

    private static Optional<String> unhandled(EtcdCluster cluster, String annotation) {
        String value = Optional.ofNullable(cluster.getMetadata().getAnnotations()).orElse(Map.of()).get(annotation);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        Optional<RecoveryStatus> recovery = Optional.ofNullable(cluster.getStatus()).map(s -> s.getRecovery());
        // Before status.recovery.handled, only the survivor request existed, and status.recovery.request was its value.
        String handled = recovery.map(RecoveryStatus::getHandled).map(h -> h.get(annotation))
                .orElseGet(() -> ANNOTATION.equals(annotation) && recovery.map(RecoveryStatus::getHandled).isEmpty()
                        ? recovery.map(RecoveryStatus::getRequest).orElse(null) : null);
        return value.equals(handled) ? Optional.empty() : Optional.of(value);
    }

    /**
     * Who last wrote the annotation and when, from metadata.managedFields: the API server records the field manager
     * (for {@code kubectl annotate}, "kubectl-annotate") and the time, not the user, which only its audit log has.
     * Empty when no managedFields entry owns the annotation.
     */
    public static Optional<ManagedFieldsEntry> writer(EtcdCluster cluster, String annotation) {
        return Optional.ofNullable(cluster.getMetadata().getManagedFields()).orElse(List.of()).stream()
                .filter(e -> e.getFieldsV1() != null && ownsAnnotation(e.getFieldsV1().getAdditionalProperties(), annotation))
                .reduce((first, second) -> second);
    }

    /** fieldsV1 is a tree of "f:" keys: {"f:metadata": {"f:annotations": {"f:<key>": {}}}}. */
    private static boolean ownsAnnotation(Map<String, Object> fields, String annotation) {
        Object metadata = fields == null ? null : fields.get("f:metadata");
        Object annotations = metadata instanceof Map<?, ?> m ? m.get("f:annotations") : null;
        return annotations instanceof Map<?, ?> a && a.containsKey("f:" + annotation);
    }

    public static String describe(ManagedFieldsEntry writer) {
        return writer.getManager() + " (" + writer.getOperation() + ")";
    }
}
