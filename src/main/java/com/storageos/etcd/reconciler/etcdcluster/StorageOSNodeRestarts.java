package com.storageos.etcd.reconciler.etcdcluster;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.events.ClusterEvents;
import com.storageos.etcd.membership.Migration;
import com.storageos.etcd.membership.Step;
import com.storageos.etcd.reconciler.etcdcluster.journal.JournalConflict;
import com.storageos.etcd.reconciler.etcdcluster.journal.JournalStore;
import com.storageos.etcd.reconciler.etcdcluster.pods.ClusterOperations;

/**
 * Carries out a {@link Step.RestartStorageOSNode}: the pod is recorded in status.migration with a compare-and-swap, then evicted
 * with its UID as a precondition, as {@link PodRestarts} does for member pods. A lost swap propagates as a {@link JournalConflict}
 * with nothing evicted; a disruption budget's refusal is asked again, never worked around.
 */
final class StorageOSNodeRestarts {
    private final JournalStore journal;
    private final ClusterOperations cluster;
    private final ClusterEvents events;
    private final EtcdCluster resource;

    StorageOSNodeRestarts(JournalStore journal, ClusterOperations cluster, ClusterEvents events, EtcdCluster resource) {
        this.journal = journal;
        this.cluster = cluster;
        this.events = events;
        this.resource = resource;
    }

    StepResult restart(Step.RestartStorageOSNode step) {
        Migration.NodeRestart pod = step.next().nodeRestart();
        journal.recordMigration(step.next(), null);
        return DisruptionResult.of(cluster.evictStorageOSNode(step.namespace(), pod.pod(), pod.uid()),
                () -> events.normal(resource, "StorageOSNodeRestarted", "evicted StorageOS node pod " + step.namespace() + "/" + pod.pod()
                        + " on node " + pod.node() + " so that it reads the switched address: " + step.reason()),
                "a PodDisruptionBudget allows no disruption of StorageOS node pod " + step.namespace() + "/" + pod.pod()
                        + " now; asking again",
                StepExecutor.POD);
    }
}
