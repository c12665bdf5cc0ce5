package com.storageos.etcd.reconciler;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.ResourceEventAware;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Hands every EtcdCluster the informer sees, status writes included, to a consumer. JOSDK tells event sources of each
 * primary resource event before its filters decide whether to reconcile, so a status write that wakes no reconcile (the
 * backup agent's every 5 s) still reaches, for example, the gauges. It produces no events itself.
 */
public final class ClusterUpdates extends AbstractEventSource<Void, EtcdCluster> implements ResourceEventAware<EtcdCluster> {
    private final Consumer<EtcdCluster> seen;

    public ClusterUpdates(String name, Consumer<EtcdCluster> seen) {
        super(Void.class, name);
        this.seen = seen;
    }

    @Override
    public void onResourceCreated(EtcdCluster cluster) {
        seen.accept(cluster);
    }

    @Override
    public void onResourceUpdated(EtcdCluster cluster, EtcdCluster previous) {
        seen.accept(cluster);
    }

    @Override
    public Set<Void> getSecondaryResources(EtcdCluster primary) {
        return Set.of();
    }
}
