package com.storageos.etcd.reconciler.etcdcluster;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.metrics.BackupMetrics;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.ResourceEventAware;
import java.util.Set;

/**
 * Drops a deleted cluster's gauges. The reconciler uses no finalizer (owner references clean up its
 * objects), so it is never called for a deletion; JOSDK tells event sources of every primary
 * resource event instead, and this one listens only for deletions. It produces no events itself.
 */
final class DeletedClusterMetrics extends AbstractEventSource<Void, EtcdCluster> implements ResourceEventAware<EtcdCluster> {
    private final BackupMetrics metrics;

    DeletedClusterMetrics(BackupMetrics metrics) {
        super(Void.class, "deleted-cluster-metrics");
        this.metrics = metrics;
    }

    @Override
    public void onResourceDeleted(EtcdCluster cluster) {
        metrics.forget(cluster.getMetadata().getNamespace(), cluster.getMetadata().getName());
    }

    @Override
    public Set<Void> getSecondaryResources(EtcdCluster primary) {
        return Set.of();
    }
}
