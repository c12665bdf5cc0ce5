package com.storageos.etcd.reconciler.storageossync;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
 * the rest of the status, so the patch of the status subresource names nothing else. Lists are
 * replaced whole, so the conditions list is rebuilt from a fresh read and the patch carries that
 * read's resourceVersion: the API server answers 409 if the other controller wrote in between, and
 * we read again. It is a JSON Patch (RFC 6902): a merge patch would do the same on a real API server,
 * but StorageOSSyncMockApiTest still runs on fabric8's mock server, which merges arrays element-wise.
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
                if (!isConflict(e) || attempt >= ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private void patch(EtcdCluster fresh, StorageOSSyncStatus sync, List<Condition> conditions) {
        ArrayNode ops = JSON.createArrayNode();
        op(ops, "replace", "/metadata/resourceVersion", JSON.valueToTree(fresh.getMetadata().getResourceVersion()));
        if (absent(fresh.getStatus())) {
            op(ops, "add", "/status", JSON.createObjectNode());
        }
        op(ops, "add", "/status/conditions", JSON.valueToTree(conditions));
        if (sync != null) {
            op(ops, "add", "/status/storageos", JSON.valueToTree(sync));
        } else if (fresh.getStatus() != null && fresh.getStatus().getStorageos() != null) {
            ops.addObject().put("op", "remove").put("path", "/status/storageos");
        }
        client.resources(EtcdCluster.class).inNamespace(fresh.getMetadata().getNamespace())
                .withName(fresh.getMetadata().getName()).subresource("status")
                .patch(PatchContext.of(PatchType.JSON), ops.toString());
    }

    /**
     * fabric8 hands out an empty status object when the server's has none, and a JSON Patch into a
     * missing /status is refused (422) by a real API server; the mock server let it pass.
     */
    private static boolean absent(EtcdClusterStatus status) {
        if (status == null) {
            return true;
        }
        JsonNode tree = JSON.valueToTree(status);
        for (JsonNode field : tree) {
            if (!field.isNull() && !(field.isContainerNode() && field.isEmpty())) {
                return false;
            }
        }
        return true;
    }

    private static void op(ArrayNode ops, String op, String path, JsonNode value) {
        ops.addObject().put("op", op).put("path", path).set("value", value);
    }

    /** 409: someone wrote since our read. 422: a path we replace changed shape meanwhile. Both mean read again. */
    private static boolean isConflict(KubernetesClientException e) {
        return e.getCode() == 409 || e.getCode() == 422;
    }

    private static boolean sameJson(Object a, Object b) {
        return JSON.valueToTree(a).equals(JSON.valueToTree(b));
    }
}
