package com.storageos.etcd.reconciler.etcdcluster;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Optional;

/**
 * Whether the EtcdCluster an object names as its controller still exists as that very object, not being deleted. A
 * reconcile runs for seconds; if its cluster is deleted with its members orphaned meanwhile (to create it again), the
 * garbage collector strips the owner reference from the StatefulSet, and a write of the old reference after that names an
 * owner that no longer exists: the collector then deletes the StatefulSet and every member pod at once. Asked fresh from
 * the API server right before a write, so the window left is that of one request.
 */
final class LiveOwner {
    private final KubernetesClient client;

    LiveOwner(KubernetesClient client) {
        this.client = client;
    }

    /** True for an object with no EtcdCluster controller: nothing to check. */
    boolean owns(HasMetadata desired) {
        Optional<OwnerReference> owner = Optional.ofNullable(desired.getMetadata().getOwnerReferences()).orElse(List.of()).stream()
                .filter(r -> Boolean.TRUE.equals(r.getController()) && HasMetadata.getKind(EtcdCluster.class).equals(r.getKind()))
                .findFirst();
        if (owner.isEmpty()) {
            return true;
        }
        EtcdCluster live = client.resources(EtcdCluster.class).inNamespace(desired.getMetadata().getNamespace())
                .withName(owner.get().getName()).get();
        return live != null && owner.get().getUid().equals(live.getMetadata().getUid()) && live.getMetadata().getDeletionTimestamp() == null;
    }
}
