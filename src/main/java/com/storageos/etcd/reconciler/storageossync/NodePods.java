package com.storageos.etcd.reconciler.storageossync;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.spec.StorageOSSpec;
import com.storageos.etcd.membership.StorageOSNodes;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Lists the StorageOS node pods of an EtcdCluster's spec.storageos, for the migration and the StorageOSSynced condition. */
public final class NodePods {
    private final KubernetesClient client;

    public NodePods(KubernetesClient client) {
        this.client = client;
    }

    /** Empty when the cluster syncs no StorageOS. Finished pods (Succeeded, Failed) run nothing and are left out. */
    public Optional<StorageOSNodes> read(EtcdCluster cluster) {
        StorageOSSpec spec = cluster.getSpec().getStorageos();
        if (spec == null) {
            return Optional.empty();
        }
        String namespace = Observed.targetNamespace(cluster);
        Map<String, String> labels = spec.getNodePodLabels() == null || spec.getNodePodLabels().isEmpty()
                ? StorageOSNodes.DEFAULT_LABELS : spec.getNodePodLabels();
        try {
            List<StorageOSNodes.NodePod> pods = client.pods().inNamespace(namespace).withLabels(labels).list().getItems().stream()
                    .filter(p -> p.getStatus() == null || !List.of("Succeeded", "Failed").contains(p.getStatus().getPhase()))
                    .map(NodePods::nodePod).toList();
            return Optional.of(new StorageOSNodes(namespace, labels, pods, ""));
        } catch (KubernetesClientException e) {
            if (e.getCode() != 403) {
                throw e;
            }
            return Optional.of(new StorageOSNodes(namespace, labels, List.of(), "RBAC forbids listing pods there; install the chart"
                    + " with storageos.sync.enabled=true and the namespace in storageos.sync.namespaces"));
        }
    }

    private static StorageOSNodes.NodePod nodePod(Pod p) {
        boolean ready = p.getStatus() != null && p.getStatus().getConditions() != null && p.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
        return new StorageOSNodes.NodePod(p.getMetadata().getName(), p.getMetadata().getUid(),
                p.getSpec() == null ? null : p.getSpec().getNodeName(), startTime(p),
                ready, p.getMetadata().getDeletionTimestamp() != null);
    }

    private static Instant startTime(Pod pod) {
        return pod.getStatus() == null || pod.getStatus().getStartTime() == null ? null : Instant.parse(pod.getStatus().getStartTime());
    }
}
