package com.storageos.etcd.clusterstatus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.status.EtcdClusterStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
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
 *   on right after its write, and a re-apply would let two operators in a leader-election overlap both act.</li>
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

    /** Applies {@code change} and writes it exactly on {@code read}'s resourceVersion, even when nothing changed: the write proves nobody wrote since. */
    public EtcdCluster compareAndSwap(EtcdCluster read, Consumer<EtcdClusterStatus> change) {
        EtcdClusterStatus after = copy(read.getStatus());
        change.accept(after);
        return patch(read, tree(after));
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

    private EtcdClusterStatus copy(EtcdClusterStatus status) {
        return client.getKubernetesSerialization().clone(status == null ? new EtcdClusterStatus() : status);
    }
}
