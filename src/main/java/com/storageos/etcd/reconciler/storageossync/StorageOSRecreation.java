package com.storageos.etcd.reconciler.storageossync;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.storageos.etcd.api.storageos.StorageOSCluster;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The Recreate policy: what the StorageOS migration guide does by hand. The object is read untyped
 * so that every field survives, deleted, awaited until gone, and created again with only the
 * address (and TLS refs) changed. Server-set metadata and the status are left behind.
 */
final class StorageOSRecreation {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration POLL = Duration.ofMillis(200);
    private final KubernetesClient client;
    private final Duration timeout;

    StorageOSRecreation(KubernetesClient client, Duration timeout) {
        this.client = client;
        this.timeout = timeout;
    }

    /** Returns the UID of the new object. */
    String recreate(String namespace, String name, String address, EtcdClientTlsRef tls) throws InterruptedException {
        var all = client.genericKubernetesResources(ResourceDefinitionContext.fromResourceType(StorageOSCluster.class))
                .inNamespace(namespace);
        Resource<GenericKubernetesResource> ref = all.withName(name);
        GenericKubernetesResource old = ref.get();
        if (old == null) {
            throw new IllegalStateException("StorageOSCluster " + namespace + "/" + name + " vanished before recreation");
        }
        GenericKubernetesResource replacement = replacement(old, address, tls);
        ref.delete();
        awaitGone(ref, old.getMetadata().getUid());
        return all.resource(replacement).create().getMetadata().getUid();
    }

    private void awaitGone(Resource<GenericKubernetesResource> ref, String uid) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        // The StorageOS operator's finalizer tears the cluster down before the object goes away.
        while (isStill(ref.get(), uid)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("StorageOSCluster still present " + timeout.toSeconds() + "s after delete");
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    private static boolean isStill(GenericKubernetesResource current, String uid) {
        return current != null && Objects.equals(uid, current.getMetadata().getUid());
    }

    /** The same object as a client would have written it: identity, labels, annotations and spec; the new address. */
    @SuppressWarnings("unchecked")
    static GenericKubernetesResource replacement(GenericKubernetesResource old, String address, EtcdClientTlsRef tls) {
        GenericKubernetesResource copy = JSON.convertValue(old, GenericKubernetesResource.class);
        Map<String, Object> spec = (Map<String, Object>) copy.getAdditionalProperties()
                .computeIfAbsent("spec", k -> new LinkedHashMap<String, Object>());
        Map<String, Object> kvBackend = (Map<String, Object>) spec.computeIfAbsent("kvBackend", k -> new LinkedHashMap<String, Object>());
        kvBackend.put("address", address);
        if (tls != null) {
            spec.put("tlsEtcdSecretRefName", tls.name());
            spec.put("tlsEtcdSecretRefNamespace", tls.namespace());
        }
        copy.getAdditionalProperties().remove("status");
        copy.setMetadata(clientMetadata(old.getMetadata()));
        return copy;
    }

    private static ObjectMeta clientMetadata(ObjectMeta old) {
        return new ObjectMetaBuilder().withName(old.getName()).withNamespace(old.getNamespace())
                .withLabels(old.getLabels()).withAnnotations(old.getAnnotations())
                .withOwnerReferences(old.getOwnerReferences()).build();
    }
}
