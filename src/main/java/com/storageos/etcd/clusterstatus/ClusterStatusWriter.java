package com.storageos.etcd.clusterstatus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.status.EtcdClusterStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The one writer of an EtcdCluster's status, for the operator's reconcilers and the tool pods alike. A write
 * applies a change to the status of an object read from the API server and sends the whole status as a JSON
 * Patch that also carries that read's resourceVersion, so the API server refuses it (409) if anybody wrote
 * in between. The writer never sends what another writer changed meanwhile:
 * <ul>
 *   <li>{@link #update} re-reads and applies the change again, so each writer's own fields (the operator's
 *   membership, the tools' lastBackup, the StorageOS sync's storageos) survive the others' writes;</li>
 *   <li>{@link #compareAndSwap} fails with {@link StatusConflict} instead: the membership journal is acted
 *   on right after its write, and a re-apply would let two operators in a leader-election overlap both act. Only a write
 *   of the backup agent's status.continuousBackup alone, which no operator makes, is swapped over.</li>
 * </ul>
 * A status that comes out the same is not written by {@code update}: a converged reconcile writes nothing.
 * Only {@code patch} on {@code etcdclusters/status} is needed, which is all the tools' Role grants.
 */
public final class ClusterStatusWriter {
    private static final int ATTEMPTS = 5;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final KubernetesClient client;
    private final BiConsumer<EtcdCluster, EtcdCluster> written;

    /** @param written told of each write (stored object, the object it replaced), for a reconciler to keep its cache current */
    public ClusterStatusWriter(KubernetesClient client, BiConsumer<EtcdCluster, EtcdCluster> written) {
        this.client = client;
        this.written = written;
    }

    public ClusterStatusWriter(KubernetesClient client) {
        this(client, (stored, previous) -> { });
    }

    /** Applies {@code change} to {@code read}'s status and writes it, re-reading and re-applying on a conflict; returns the stored object. */
    public EtcdCluster update(EtcdCluster read, Consumer<EtcdClusterStatus> change) {
        EtcdCluster current = read;
        for (int attempt = 1; ; attempt++) {
            JsonNode before = tree(current.getStatus());
            EtcdClusterStatus after = copy(current.getStatus());
            change.accept(after);
            JsonNode wanted = tree(after);
            if (current.getStatus() != null && wanted.equals(before)) {
                return current;
            }
            try {
                return patch(current, wanted);
            } catch (StatusConflict e) {
                if (attempt >= ATTEMPTS) {
                    throw e;
                }
                current = reread(current);
                if (current == null) {
                    return read;
                }
            }
        }
    }

    /**
     * Applies {@code change} and writes it exactly on {@code read}'s resourceVersion, even when nothing changed: the write proves
     * nobody wrote since. Nobody but the backup agent: its status.continuousBackup, written every 5 s, would otherwise win
     * against every reconcile that takes as long (one waiting on unreachable members, when a restore is asked for), so a
     * version that differs from {@code read} in that alone gets the same swap again.
     */
    public EtcdCluster compareAndSwap(EtcdCluster read, Consumer<EtcdClusterStatus> change) {
        EtcdCluster base = read;
        for (int attempt = 1; ; attempt++) {
            EtcdClusterStatus after = copy(base.getStatus());
            change.accept(after);
            try {
                return patch(base, tree(after));
            } catch (StatusConflict e) {
                EtcdCluster now = attempt < ATTEMPTS ? reread(base) : null;
                if (now == null || !withoutAgentsStatus(now).equals(withoutAgentsStatus(read))) {
                    throw e;
                }
                base = now;
            }
        }
    }

    /** The object as the API server has it now, or null when it is gone. */
    public EtcdCluster reread(EtcdCluster cluster) {
        return client.resources(EtcdCluster.class).inNamespace(cluster.getMetadata().getNamespace())
                .withName(cluster.getMetadata().getName()).get();
    }

    private EtcdCluster patch(EtcdCluster read, JsonNode status) {
        ArrayNode ops = JSON.createArrayNode();
        ops.addObject().put("op", "replace").put("path", "/metadata/resourceVersion").put("value", read.getMetadata().getResourceVersion());
        // "add" on a member that exists replaces it, and works as well when the server has no status yet.
        ops.addObject().put("op", "add").put("path", "/status").set("value", status);
        try {
            EtcdCluster stored = client.resources(EtcdCluster.class).inNamespace(read.getMetadata().getNamespace())
                    .withName(read.getMetadata().getName()).subresource("status")
                    .patch(PatchContext.of(PatchType.JSON), ops.toString());
            written.accept(stored, read);
            return stored;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                throw new StatusConflict(read, e);
            }
            throw e;
        }
    }

    private JsonNode tree(EtcdClusterStatus status) {
        try {
            return JSON.readTree(client.getKubernetesSerialization().asJson(status == null ? new EtcdClusterStatus() : status));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the status does not round-trip through JSON", e);
        }
    }

    /** The object without what every write moves (resourceVersion, managedFields) and without the agent's status.continuousBackup. */
    private JsonNode withoutAgentsStatus(EtcdCluster cluster) {
        ObjectNode tree;
        try {
            tree = (ObjectNode) JSON.readTree(client.getKubernetesSerialization().asJson(cluster));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the EtcdCluster does not round-trip through JSON", e);
        }
        ((ObjectNode) tree.path("metadata")).remove(List.of("resourceVersion", "managedFields"));
        if (tree.get("status") instanceof ObjectNode status) {
            status.remove("continuousBackup");
            if (status.isEmpty()) {
                tree.remove("status");
            }
        }
        return tree;
    }

    private EtcdClusterStatus copy(EtcdClusterStatus status) {
        return client.getKubernetesSerialization().clone(status == null ? new EtcdClusterStatus() : status);
    }
}
