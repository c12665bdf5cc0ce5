package com.storageos.etcd.membership;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * PURE: StorageOS's node pods as the operator found them. A node reads spec.kvBackend.address (through the ConfigMap
 * storageos-node-config, ETCD_ENDPOINTS) only when its pod starts, so a pod that started before the address changed
 * still uses the old address, whatever the StorageOSCluster says.
 *
 * @param namespace   where the pods were listed (the StorageOSCluster's namespace)
 * @param labels      the label selector that picked them
 * @param pods        each pod as found
 * @param unreadable  why the pods could not be listed (RBAC); empty when they were
 */
public record StorageOSNodes(String namespace, Map<String, String> labels, List<NodePod> pods, String unreadable) {
    /**
     * The labels the StorageOS operator puts on its node DaemonSet's pods (storageos/operator,
     * channels/packages/node/0.1.0/kustomization.yaml, commonLabels); the api-manager's pods have another component.
     */
    public static final Map<String, String> DEFAULT_LABELS = Map.of("app", "storageos", "app.kubernetes.io/component", "control-plane");

    /**
     * @param uid         its UID, the precondition of its eviction
     * @param node        spec.nodeName; empty while it is not scheduled
     * @param startedAt   status.startTime; null while it has not started
     * @param ready       its Ready condition is True
     * @param terminating it has a deletionTimestamp
     */
    public record NodePod(String name, String uid, String node, Instant startedAt, boolean ready, boolean terminating) {
        public NodePod {
            node = node == null ? "" : node;
        }

        /** Serving, and not on its way out. */
        public boolean up() {
            return ready && !terminating;
        }
    }

    public StorageOSNodes {
        labels = Map.copyOf(labels);
        pods = List.copyOf(pods);
        unreadable = unreadable == null ? "" : unreadable;
    }

    /** The pods still on an address older than {@code changedAt}: not started yet, or started at or before it. */
    public List<String> startedBefore(Instant changedAt) {
        return pods.stream().filter(p -> p.startedAt() == null || !p.startedAt().isAfter(changedAt)).map(NodePod::name).sorted().toList();
    }

    public String selector() {
        return labels.entrySet().stream().sorted(Map.Entry.comparingByKey()).map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
    }

    /**
     * What still keeps a node on an address older than {@code changedAt}, or empty when every node pod started after it.
     * The DaemonSet's updateStrategy is OnDelete, so a rollout restart does not replace its pods: they must be deleted.
     */
    public Optional<String> restartNeeded(Instant changedAt) {
        if (!unreadable.isEmpty()) {
            return Optional.of("the StorageOS node pods in namespace " + namespace + " cannot be listed (" + unreadable + ")");
        }
        if (pods.isEmpty()) {
            return Optional.of("no pod in namespace " + namespace + " matches " + selector() + ", so it is unknown which StorageOS nodes"
                    + " still use the old address; set spec.storageos.nodePodLabels to the labels of the StorageOS node pods");
        }
        List<String> stale = startedBefore(changedAt);
        if (stale.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(stale.size() + " of " + pods.size() + " StorageOS node pods started before the address changed at " + changedAt
                + " and still use the old one (" + String.join(", ", stale) + "); restart them one at a time, each Ready before the"
                + " next: kubectl -n " + namespace + " delete pod " + stale.get(0) + " (the node DaemonSet's updateStrategy is"
                + " OnDelete, so kubectl rollout restart does not replace them)");
    }
}
