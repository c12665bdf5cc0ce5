package com.storageos.etcd.membership;

import com.storageos.etcd.api.v1alpha1.status.ConditionReason;
import java.time.Instant;
import java.util.Optional;

/**
 * PURE: with spec.storageos.nodeRestart Evict, the next StorageOS node pod restart of a migration that awaits StorageOS. One pod at
 * a time, each replacement Ready before the next eviction. The evicted pod is recorded in status.migration before the eviction,
 * so an operator that restarted in between knows which node's replacement it still waits for: right after an eviction the node
 * DaemonSet has not created the replacement yet, and the pod list alone would look like one node fewer, all Ready.
 */
final class StorageOSRollingRestart {
    private StorageOSRollingRestart() {
    }

    /** @param nodes the node pods, of which at least one started before the switch */
    static Step next(Migration recorded, StorageOSNodes nodes, Instant now) {
        Migration.NodeRestart last = recorded.nodeRestart();
        if (last != null) {
            Optional<StorageOSNodes.NodePod> evicted = nodes.pods().stream().filter(p -> p.uid().equals(last.uid())).findFirst();
            if (evicted.filter(p -> !p.terminating()).isPresent()) {
                // Recorded, then not evicted (the operator stopped in between, or a disruption budget refused): evict it again.
                return new Step.RestartStorageOSNode(recorded, nodes.namespace(), "its eviction was recorded at " + last.at()
                        + " but it still runs");
            }
            boolean replaced = nodes.pods().stream().anyMatch(p -> p.node().equals(last.node()) && !p.uid().equals(last.uid()) && p.up());
            if (!replaced) {
                return wait("StorageOS node pod " + last.pod() + " was evicted at " + last.at() + "; waiting for the node DaemonSet's"
                        + " replacement on node " + last.node() + " to be Ready before the next restart");
            }
        }
        Optional<StorageOSNodes.NodePod> down = nodes.pods().stream().filter(p -> !p.up()).findFirst();
        if (down.isPresent()) {
            return wait("StorageOS node pod " + down.get().name() + " is not Ready; no other node pod is restarted before it is");
        }
        String stale = nodes.startedBefore(recorded.switchedAt()).get(0);
        StorageOSNodes.NodePod pod = nodes.pods().stream().filter(p -> p.name().equals(stale)).findFirst().orElseThrow();
        return new Step.RestartStorageOSNode(recorded.restarting(new Migration.NodeRestart(pod.name(), pod.uid(), pod.node(), now)),
                nodes.namespace(), nodes.startedBefore(recorded.switchedAt()).size() + " of " + nodes.pods().size()
                + " node pods still use the external members");
    }

    private static Step wait(String message) {
        return new Step.Wait(ConditionReason.MigrationRestartingStorageOSNodes, message, MigrationPlanner.STORAGEOS_RECHECK);
    }
}
