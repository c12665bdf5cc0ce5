package com.storageos.etcd.tool.bootstrap;

/** What the bootstrap init container decided for its member. */
public sealed interface BootstrapDecision {
    /** Form a brand-new one-member cluster. */
    record NewCluster() implements BootstrapDecision { }

    /**
     * Move whatever is in the data dir aside (never deleted), restore the backup there as a new one-member cluster,
     * and write {@code marker} beside it. {@code recovery}: a restore-from-backup recovery, which reports it.
     */
    record SeedFromBackup(String marker, boolean recovery) implements BootstrapDecision { }

    /** Join the running cluster as the learner the operator added. */
    record Join(String memberIdHex, String initialCluster, boolean wipeStaleData) implements BootstrapDecision { }

    /** The data dir holds this member's data: start etcd on it. */
    record Restart() implements BootstrapDecision { }

    /** A restore-from-backup recovery already restored this member's data: start on it, and say so again. */
    record RestartRestored() implements BootstrapDecision { }

    /** Restart on this member's data with --force-new-cluster: the survivor a recovery chose. */
    record ForceNewCluster() implements BootstrapDecision { }

    /** A recovery from another member removed this one: move its data aside (never delete it) and wait to join. */
    record LeaveForRecovery(String terminationMessage) implements BootstrapDecision { }

    /** Refuse to start; the message becomes the container's termination message for the operator. */
    record Refuse(String terminationMessage) implements BootstrapDecision { }
}
