package com.storageos.etcd.desired;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.naming.RequestAnnotations;
import java.util.Map;
import java.util.Optional;

/**
 * {@code kubectl annotate etcdcluster/x etcd.storageos.com/paused=true}: the operator makes no change for
 * the cluster (no etcd membership call, no apply, no delete, no event, no StorageOS sync) and says so in
 * its status; removing the annotation resumes.
 */
public final class PauseRequest {
    public static final String ANNOTATION = RequestAnnotations.PAUSED;

    private PauseRequest() {
    }

    public static boolean paused(EtcdCluster cluster) {
        return "true".equals(Optional.ofNullable(cluster.getMetadata().getAnnotations()).orElse(Map.of()).get(ANNOTATION));
    }
}
