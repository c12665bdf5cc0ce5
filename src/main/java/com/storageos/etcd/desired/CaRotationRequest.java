package com.storageos.etcd.desired;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.naming.RequestAnnotations;
import java.util.Map;
import java.util.Optional;

/**
 * A request to replace the cluster's generated CA now rather than at its renewAfter:
 * {@code kubectl annotate etcdcluster/x etcd.storageos.com/rotate-ca=$(date +%s)}. Each value is served once:
 * status.tls.caRotation.request holds the last one served.
 */
public final class CaRotationRequest {
    public static final String ANNOTATION = RequestAnnotations.ROTATE_CA;

    private CaRotationRequest() {
    }

    /** The annotation's value, or null. */
    public static String value(EtcdCluster cluster) {
        String value = Optional.ofNullable(cluster.getMetadata().getAnnotations()).orElse(Map.of()).get(ANNOTATION);
        return value == null || value.isBlank() ? null : value;
    }
}
