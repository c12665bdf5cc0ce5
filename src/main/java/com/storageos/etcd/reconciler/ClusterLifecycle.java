package com.storageos.etcd.reconciler;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.ResourceEventAware;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Hands each EtcdCluster the informer sees to {@code seen}, status writes included, and a deleted one to
 * {@code deleted}. JOSDK tells event sources of every primary resource event before its filters decide whether to
 * reconcile: a status write that wakes no reconcile (the backup agent's, every 5 s) still reaches the gauges, and the
 * reconcilers, which use no finalizer (owner references remove the objects in its namespace), are never called for a
 * deletion. It produces no events itself. A deletion while no operator runs is not seen.
 */
public final class ClusterLifecycle extends AbstractEventSource<Void, EtcdCluster> implements ResourceEventAware<EtcdCluster> {
    private final Consumer<EtcdCluster> seen;
    private final Consumer<EtcdCluster> deleted;

    public ClusterLifecycle(String name, Consumer<EtcdCluster> seen, Consumer<EtcdCluster> deleted) {
        super(Void.class, name);
        this.seen = seen;
        this.deleted = deleted;
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
    public void onResourceDeleted(EtcdCluster cluster) {
        deleted.accept(cluster);
    }

    @Override
    public Set<Void> getSecondaryResources(EtcdCluster primary) {
        return Set.of();
    }
}
