package com.storageos.etcd.reconciler.storageossync;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.storageos.etcd.api.storageos.StorageOSCluster;
import com.storageos.etcd.api.v1alpha1.status.StorageOSReplacement;
import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Recreate policy: what the StorageOS migration guide does by hand, in steps that survive an operator restart. The
 * replacement is built from the object read untyped (so that every field survives) and recorded in the EtcdCluster's status
 * before anything is deleted ({@link #replacementFor}); {@link #advance} then deletes the old object by UID, waits for it to
 * go (the StorageOS operator's finalizer tears StorageOS down first) and creates the replacement. Any pass, of this operator
 * or of the next one, can call {@link #advance} again with the recorded replacement and carries on where it stopped.
 */
final class StorageOSRecreation {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration POLL = Duration.ofMillis(200);
    private final KubernetesClient client;
    private final Duration wait;

    /** @param wait how long one pass waits for the old object to go before it reports Terminating and looks again later */
    StorageOSRecreation(KubernetesClient client, Duration wait) {
        this.client = client;
        this.wait = wait;
    }

    /** The replacement for the object as it is now, with the new address and TLS refs; empty when it is gone. */
    Optional<StorageOSReplacement> replacementFor(String namespace, String name, String address, EtcdClientTlsRef tls) {
        return Optional.ofNullable(clusters().inNamespace(namespace).withName(name).get())
                .map(old -> new StorageOSReplacement(old.getMetadata().getUid(), address, json(replacement(old, address, tls))));
    }

    /**
     * One pass at a recorded replacement: the old object is deleted with its UID as a precondition, so that no other object
     * of the name (the replacement, made by an operator that overlapped with this one) is ever deleted; once it is gone,
     * the replacement is created.
     */
    Progress advance(StorageOSReplacement recorded) throws InterruptedException {
        GenericKubernetesResource replacement = parse(recorded.getManifest());
        String namespace = replacement.getMetadata().getNamespace();
        Resource<GenericKubernetesResource> ref = clusters().inNamespace(namespace).withName(replacement.getMetadata().getName());
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            GenericKubernetesResource current = ref.get();
            if (current == null) {
                try {
                    return new Progress.Done(clusters().inNamespace(namespace).resource(replacement).create().getMetadata().getUid(), true);
                } catch (KubernetesClientException e) {
                    if (e.getCode() != 409) {
                        throw e;
                    }
                    continue; // created meanwhile by someone else: read it
                }
            }
            if (!recorded.getReplacesUid().equals(current.getMetadata().getUid())) {
                return new Progress.Done(current.getMetadata().getUid(), false);
            }
            if (current.getMetadata().getDeletionTimestamp() == null) {
                deleteByUid(namespace, current.getMetadata().getName(), recorded.getReplacesUid());
            } else if (System.nanoTime() > deadline) {
                return new Progress.Terminating(Optional.ofNullable(current.getMetadata().getFinalizers()).orElse(List.of()));
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    /** A DELETE with preconditions.uid: the API server refuses it (409) for any other object of that name, and 404 if none. */
    void deleteByUid(String namespace, String name, String uid) {
        String path = "/apis/" + StorageOSCluster.API_VERSION + "/namespaces/" + namespace + "/" + StorageOSCluster.PLURAL + "/" + name;
        try {
            client.raw(path, "DELETE", new DeleteOptionsBuilder().withNewPreconditions().withUid(uid).endPreconditions().build());
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404 && e.getCode() != 409) {
                throw e;
            }
        }
    }

    private MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> clusters() {
        return client.genericKubernetesResources(ResourceDefinitionContext.fromResourceType(StorageOSCluster.class));
    }

    /** Where a recorded replacement stands after one pass. */
    sealed interface Progress {
        /** The replacement exists: {@code created} by this pass, or found (made by an earlier pass or another operator). */
        record Done(String uid, boolean created) implements Progress { }

        /** The old object is still being deleted: its finalizers have not finished. */
        record Terminating(List<String> finalizers) implements Progress { }
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

    private static String json(GenericKubernetesResource object) {
        try {
            return JSON.writeValueAsString(object);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a StorageOSCluster read from the API server does not serialize", e);
        }
    }

    private static GenericKubernetesResource parse(String manifest) {
        try {
            return JSON.readValue(manifest, GenericKubernetesResource.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("status.storageos.replacement.manifest is not a StorageOSCluster: " + e.getOriginalMessage(), e);
        }
    }
}
