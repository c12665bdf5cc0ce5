package com.storageos.etcd.reconciler.etcdcluster;

import com.storageos.etcd.membership.Journal;
import java.util.Optional;

/**
 * Persists the membership journal. Implementations must write with optimistic locking and return
 * only once the write is durable: the executor acts right after.
 */
interface JournalStore {
    /**
     * @param initialCluster for a learner that was just added: etcd's initial-cluster for its pod
     */
    void record(Optional<Journal> journal, String initialCluster);

    /** Records that the cluster has formed, so that it is never bootstrapped again. */
    void recordClusterFormed(String clusterId);
}
