package com.storageos.etcd.reconciler.kvbackend;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.status.EtcdClusterStatus;
import com.storageos.etcd.api.v1alpha1.status.StorageOSSyncStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Writes only status.storageos and the StorageOSSynced condition. The EtcdCluster reconciler owns
 * the rest of the status, so this sends a JSON merge patch of the status subresource that names
 * nothing else. A merge patch replaces lists whole, so the conditions list is rebuilt from a fresh
 * read and the patch carries that read's resourceVersion: the API server rejects it with 409 if the
 * other controller wrote in between, and we read again.
 */
final class KvBackendStatusWriter {
    private static final int ATTEMPTS = 5;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final KubernetesClient client;

    KvBackendStatusWriter(KubernetesClient client) {
        this.client = client;
    }

    /** Sets status.storageos (null removes it) and rewrites our condition; writes nothing if both are unchanged. */
    void write(EtcdCluster cluster, StorageOSSyncStatus sync, UnaryOperator<List<Condition>> conditions) {
        for (int attempt = 1; ; attempt++) {
            EtcdCluster fresh = client.resources(EtcdCluster.class).inNamespace(cluster.getMetadata().getNamespace())
                    .withName(cluster.getMetadata().getName()).get();
            if (fresh == null) {
                return;
            }
            EtcdClusterStatus current = fresh.getStatus() == null ? new EtcdClusterStatus() : fresh.getStatus();
            List<Condition> wanted = conditions.apply(current.getConditions());
            if (sameJson(sync, current.getStorageos()) && Objects.equals(wanted, current.getConditions())) {
                return;
            }
            try {
                patch(fresh, sync, wanted);
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt >= ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private void patch(EtcdCluster fresh, StorageOSSyncStatus sync, List<Condition> conditions) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("metadata").put("resourceVersion", fresh.getMetadata().getResourceVersion());
        ObjectNode status = body.putObject("status");
        status.set("storageos", JSON.valueToTree(sync));
        status.set("conditions", JSON.valueToTree(conditions));
        client.resources(EtcdCluster.class).inNamespace(fresh.getMetadata().getNamespace())
                .withName(fresh.getMetadata().getName()).subresource("status")
                .patch(PatchContext.of(PatchType.JSON_MERGE), body.toString());
    }

    private static boolean sameJson(Object a, Object b) {
        return JSON.valueToTree(a).equals(JSON.valueToTree(b));
    }
}
