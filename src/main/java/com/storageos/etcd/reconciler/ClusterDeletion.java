package com.storageos.etcd.reconciler;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.ResourceEventAware;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Runs a clean-up when an EtcdCluster is deleted. The reconcilers use no finalizer (owner references remove the
 * objects in its namespace), so they are never called for a deletion; JOSDK tells event sources of every primary
 * resource event instead. It produces no events itself. A deletion while no operator runs is not seen.
 */
public final class ClusterDeletion extends AbstractEventSource<Void, EtcdCluster> implements ResourceEventAware<EtcdCluster> {
    private final Consumer<EtcdCluster> cleanUp;

    public ClusterDeletion(String name, Consumer<EtcdCluster> cleanUp) {
        super(Void.class, name);
        this.cleanUp = cleanUp;
    }

    @Override
    public void onResourceDeleted(EtcdCluster cluster) {
        cleanUp.accept(cluster);
    }

    @Override
    public Set<Void> getSecondaryResources(EtcdCluster primary) {
        return Set.of();
    }
}
