package com.storageos.etcd.desired;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.status.RecoveryStatus;
import com.storageos.etcd.membership.RecoveryRequest;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code kubectl annotate etcdcluster/x etcd.storageos.com/recover-from-survivor=$(date +%s)}: recover a cluster that
 * lost quorum from its most advanced surviving member. Each value is served once: the value last served is
 * status.recovery.request, written in the same status write that starts (or refuses) the recovery.
 */
public final class RecoveryAnnotation {
    public static final String ANNOTATION = "etcd.storageos.com/recover-from-survivor";

    private RecoveryAnnotation() {
    }

    /** The request still to serve: a value that status.recovery does not record as handled. */
    public static Optional<RecoveryRequest> pending(EtcdCluster cluster) {
        String value = Optional.ofNullable(cluster.getMetadata().getAnnotations()).orElse(Map.of()).get(ANNOTATION);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String handled = Optional.ofNullable(cluster.getStatus()).map(s -> s.getRecovery()).map(RecoveryStatus::getRequest).orElse(null);
        return value.equals(handled) ? Optional.empty() : Optional.of(RecoveryRequest.of(value));
    }

    /**
     * Who last wrote the annotation and when, from metadata.managedFields: the API server records the field manager
     * (for {@code kubectl annotate}, "kubectl-annotate") and the time, not the user, which only its audit log has.
     * Empty when no managedFields entry owns the annotation.
     */
    public static Optional<ManagedFieldsEntry> writer(EtcdCluster cluster) {
        return Optional.ofNullable(cluster.getMetadata().getManagedFields()).orElse(List.of()).stream()
                .filter(e -> e.getFieldsV1() != null && ownsAnnotation(e.getFieldsV1().getAdditionalProperties()))
                .reduce((first, second) -> second);
    }

    /** fieldsV1 is a tree of "f:" keys: {"f:metadata": {"f:annotations": {"f:<key>": {}}}}. */
    private static boolean ownsAnnotation(Map<String, Object> fields) {
        Object metadata = fields == null ? null : fields.get("f:metadata");
        Object annotations = metadata instanceof Map<?, ?> m ? m.get("f:annotations") : null;
        return annotations instanceof Map<?, ?> a && a.containsKey("f:" + ANNOTATION);
    }

    public static String describe(ManagedFieldsEntry writer) {
        return writer.getManager() + " (" + writer.getOperation() + ")";
    }
}
