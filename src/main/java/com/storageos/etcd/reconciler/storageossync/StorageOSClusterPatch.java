package com.storageos.etcd.reconciler.storageossync;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.storageos.etcd.api.storageos.StorageOSCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Optional;

/**
 * Reads the StorageOSCluster and edits it in place. The patch is a JSON merge patch that names only
 * spec.kvBackend.address (and the TLS refs when we copied a client Secret): every field the
 * StorageOS operator or a person set stays exactly as it was. No server-side apply: a merge patch of
 * the fields we own is all we need (and the mock-based KvBackend tests, which lack apply, rely on it).
 */
final class StorageOSClusterPatch {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final KubernetesClient client;

    StorageOSClusterPatch(KubernetesClient client) {
        this.client = client;
    }

    /**
     * The StorageOSCluster, or empty. A GET answers 404 both when the object is missing and when its
     * CRD is not installed; discovery tells which. A 403 (RBAC) is thrown for the caller to report.
     */
    Optional<StorageOSCluster> get(String namespace, String name) {
        return Optional.ofNullable(client.resources(StorageOSCluster.class).inNamespace(namespace).withName(name).get());
    }

    /** Whether the API server serves storageosclusters.storageos.com (discovery is open to every authenticated user). */
    boolean crdInstalled() {
        return client.supports(StorageOSCluster.class);
    }

    void setAddress(StorageOSCluster target, String address, EtcdClientTlsRef tls) {
        client.resources(StorageOSCluster.class).inNamespace(target.getMetadata().getNamespace())
                .withName(target.getMetadata().getName())
                .patch(PatchContext.of(PatchType.JSON_MERGE), body(address, tls).toString());
    }

    /** {"spec":{"kvBackend":{"address":...}, "tlsEtcdSecretRefName":..., "tlsEtcdSecretRefNamespace":...}} */
    static ObjectNode body(String address, EtcdClientTlsRef tls) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode spec = body.putObject("spec");
        spec.putObject("kvBackend").put("address", address);
        if (tls != null) {
            spec.put("tlsEtcdSecretRefName", tls.name()).put("tlsEtcdSecretRefNamespace", tls.namespace());
        }
        return body;
    }

    static boolean tlsMatches(StorageOSCluster target, EtcdClientTlsRef tls) {
        return tls == null || (tls.name().equals(target.getSpec().getTlsEtcdSecretRefName())
                && tls.namespace().equals(target.getSpec().getTlsEtcdSecretRefNamespace()));
    }
}
