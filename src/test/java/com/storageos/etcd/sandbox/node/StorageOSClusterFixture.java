package com.storageos.etcd.sandbox.node;

import com.storageos.etcd.sandbox.Sandbox;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.Map;
import java.util.Optional;

/** The StorageOSCluster storageos/storageos the sandbox tests sync, with the fields its CRD requires. */
public final class StorageOSClusterFixture {
    public static final ResourceDefinitionContext STORAGEOS = new ResourceDefinitionContext.Builder()
            .withGroup("storageos.com").withVersion("v1").withKind("StorageOSCluster").withPlural("storageosclusters")
            .withNamespaced(true).build();

    private StorageOSClusterFixture() {
    }

    public static void create(Sandbox sandbox, String address) {
        sandbox.client().genericKubernetesResources(STORAGEOS).inNamespace("storageos").resource(manifest(address)).create();
    }

    /** storageos/storageos as a user writes it, at {@code address}. */
    public static GenericKubernetesResource manifest(String address) {
        GenericKubernetesResource storageos = new GenericKubernetesResource();
        storageos.setApiVersion("storageos.com/v1");
        storageos.setKind("StorageOSCluster");
        storageos.setMetadata(new ObjectMetaBuilder().withName("storageos").withNamespace("storageos").build());
        storageos.setAdditionalProperty("spec", Map.of("secretRefName", "storageos-api", "secretRefNamespace", "storageos",
                "images", Map.of("nodeContainer", "storageos/node:v2"), "kvBackend", Map.of("address", address, "backend", "etcd")));
        return storageos;
    }

    /** One read of the object: which incarnation (its UID) and its address. */
    public record Seen(String uid, String address) {
    }

    /** The object as it is now, or empty while it does not exist (the Recreate policy deleted it). */
    public static Optional<Seen> read(Sandbox sandbox) {
        return Optional.ofNullable(sandbox.client().genericKubernetesResources(STORAGEOS).inNamespace("storageos")
                .withName("storageos").get()).map(o -> new Seen(o.getMetadata().getUid(),
                String.valueOf(((Map<?, ?>) ((Map<?, ?>) o.getAdditionalProperties().get("spec")).get("kvBackend")).get("address"))));
    }

    /** Its spec.kvBackend.address as it is now. */
    public static String address(Sandbox sandbox) {
        Map<?, ?> spec = (Map<?, ?>) sandbox.client().genericKubernetesResources(STORAGEOS).inNamespace("storageos")
                .withName("storageos").get().getAdditionalProperties().get("spec");
        return String.valueOf(((Map<?, ?>) spec.get("kvBackend")).get("address"));
    }
}
