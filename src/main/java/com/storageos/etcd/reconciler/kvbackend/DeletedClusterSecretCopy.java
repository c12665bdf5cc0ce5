package com.storageos.etcd.reconciler.kvbackend;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.ResourceEventAware;
import java.util.Set;

/**
 * Deletes the client certificate copied into StorageOS's namespace when its EtcdCluster is deleted. There is
 * no finalizer, so the reconciler never sees the deletion; JOSDK tells event sources of it. A deletion while
 * no operator runs leaves the copy behind.
 */
final class DeletedClusterSecretCopy extends AbstractEventSource<Void, EtcdCluster> implements ResourceEventAware<EtcdCluster> {
    private final EtcdClientSecretCopy copies;

    DeletedClusterSecretCopy(EtcdClientSecretCopy copies) {
        super(Void.class, "deleted-cluster-secret-copy");
        this.copies = copies;
    }

    @Override
    public void onResourceDeleted(EtcdCluster cluster) {
        copies.forget(cluster);
    }

    @Override
    public Set<Void> getSecondaryResources(EtcdCluster primary) {
        return Set.of();
    }
}
