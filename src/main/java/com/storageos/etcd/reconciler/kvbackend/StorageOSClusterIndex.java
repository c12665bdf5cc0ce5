package com.storageos.etcd.reconciler.kvbackend;

import com.storageos.etcd.api.storageos.StorageOSCluster;
import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.spec.StorageOSSpec;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which EtcdClusters name a StorageOSCluster. The reference points from the EtcdCluster to the
 * StorageOSCluster (often in another namespace), so owner references cannot map events back; an
 * index over the primary cache by "namespace/name" of the referenced StorageOSCluster does.
 */
final class StorageOSClusterIndex {
    static final String NAME = "kvbackend-storageoscluster";

    private StorageOSClusterIndex() {
    }

    static List<String> keysOf(EtcdCluster cluster) {
        StorageOSSpec ref = cluster.getSpec() == null ? null : cluster.getSpec().getStorageos();
        return ref == null || ref.getName() == null ? List.of() : List.of(key(targetNamespace(cluster), ref.getName()));
    }

    /** spec.storageos.namespace, defaulting to the EtcdCluster's own namespace. */
    static String targetNamespace(EtcdCluster cluster) {
        String ns = cluster.getSpec().getStorageos().getNamespace();
        return ns == null || ns.isBlank() ? cluster.getMetadata().getNamespace() : ns;
    }

    static String key(String namespace, String name) {
        return namespace + "/" + name;
    }

    static SecondaryToPrimaryMapper<StorageOSCluster> mapper(IndexedResourceCache<EtcdCluster> primaries) {
        return stos -> primaries.byIndex(NAME, key(stos.getMetadata().getNamespace(), stos.getMetadata().getName()))
                .stream().map(ResourceID::fromResource).collect(Collectors.toSet());
    }

    static Set<ResourceID> referenced(EtcdCluster cluster) {
        StorageOSSpec ref = cluster.getSpec() == null ? null : cluster.getSpec().getStorageos();
        return ref == null || ref.getName() == null ? Set.of() : Set.of(new ResourceID(ref.getName(), targetNamespace(cluster)));
    }
}
