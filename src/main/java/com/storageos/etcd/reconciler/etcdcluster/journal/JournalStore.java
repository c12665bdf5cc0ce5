package com.storageos.etcd.reconciler.etcdcluster.journal;

import com.storageos.etcd.api.v1alpha1.status.ActionStatus;
import com.storageos.etcd.api.v1alpha1.status.BootstrapStatus;
import com.storageos.etcd.api.v1alpha1.status.PodRestartStatus;
import com.storageos.etcd.api.v1alpha1.status.RecoveryStatus;
import com.storageos.etcd.membership.Journal;
import com.storageos.etcd.membership.Migration;
import java.util.Optional;

/**
 * Persists the membership journal. Implementations must write as a compare-and-swap (failing, not
 * re-applying, when someone else wrote first) and return only once the write is durable: the executor
 * acts right after.
 */
public interface JournalStore {
    /**
     * @param initialCluster for a learner that was just added: etcd's initial-cluster for its pod
     */
    void record(Optional<Journal> journal, String initialCluster);

    /**
     * Closes the Bootstrap journal and records etcd's cluster ID, in one write: a crash can never leave the
     * journal closed without the ID that keeps the cluster from being bootstrapped again.
     *
     * @param restored for a cluster seeded by spec.bootstrap.restore, what member 0 restored (status.bootstrap), else null
     */
    void recordClusterFormed(String clusterId, BootstrapStatus restored);

    /**
     * Writes the journal and status.recovery in one write: a recovery request is recorded as handled exactly when the
     * journal that carries it out is, and closing that journal records the recovery as completed.
     */
    void recordRecovery(Optional<Journal> journal, RecoveryStatus recovery);

    /**
     * Closes a RestoreFromBackup: the recovery recorded as completed and the restored cluster's new ID, in one write.
     */
    void recordRestored(RecoveryStatus recovery, String clusterId);

    /** Records a refused recovery request as handled; the journal is left as it is. */
    void refuseRecovery(RecoveryStatus recovery);

    /**
     * Records the migration's next state; {@code clusterId}, when not null, is recorded in the same write (the start of a
     * migration: the external cluster's ID makes this cluster formed, so that it is never bootstrapped on its own).
     */
    void recordMigration(Migration next, String clusterId);

    /** Records the pod restart about to happen, as a compare-and-swap like every journal write. */
    void recordRestart(PodRestartStatus restart);

    /** Records the act about to happen that no journal write precedes, as a compare-and-swap like every journal write. */
    void recordAction(ActionStatus action);
}
