package com.storageos.etcd.reconciler.etcdcluster;

import com.storageos.etcd.api.v1alpha1.spec.StorageSpec;
import com.storageos.etcd.naming.ClusterNames;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Optional;

/**
 * A StatefulSet's volumeClaimTemplates are immutable, so a larger spec.storage.size is applied to the
 * existing claims instead (the StorageClass must allow expansion), and the StatefulSet keeps the
 * template it was created with.
 */
final class StorageChanges {
    private final KubernetesClient client;
    private final OwnedObjectCaches caches;

    StorageChanges(KubernetesClient client, OwnedObjectCaches caches) {
        this.client = client;
        this.caches = caches;
    }

    /** The desired StatefulSet, with the claim templates of the one that exists (as observed: no second read). */
    static StatefulSet keepClaimTemplates(StatefulSet desired, StatefulSet existing) {
        if (existing != null && existing.getSpec().getVolumeClaimTemplates() != null) {
            desired.getSpec().setVolumeClaimTemplates(existing.getSpec().getVolumeClaimTemplates());
        }
        return desired;
    }

    /** Grows every member claim smaller than the requested size; never shrinks one (admission forbids it anyway). */
    void growClaims(ClusterNames names, StorageSpec storage, int members) {
        Quantity wanted = new Quantity(Optional.ofNullable(storage).orElseGet(StorageSpec::new).getSize());
        for (int ordinal = 0; ordinal < members; ordinal++) {
            PersistentVolumeClaim claim = caches.get(PersistentVolumeClaim.class, names.namespace(), names.dataClaim(ordinal)).orElse(null);
            Quantity current = claim == null || claim.getSpec().getResources() == null ? null
                    : claim.getSpec().getResources().getRequests().get("storage");
            if (current != null && current.getNumericalAmount().compareTo(wanted.getNumericalAmount()) < 0) {
                client.persistentVolumeClaims().inNamespace(names.namespace()).withName(names.dataClaim(ordinal))
                        .patch(PatchContext.of(PatchType.JSON_MERGE),
                                "{\"spec\":{\"resources\":{\"requests\":{\"storage\":\"" + wanted + "\"}}}}");
            }
        }
    }
}
