package com.storageos.etcd.toolcontract;

/**
 * The words the bootstrap tool writes to its termination message, which the operator reads back.
 * Plain text with a fixed prefix, so that a person reading {@code kubectl describe pod} understands it too.
 */
public final class BootstrapReport {
    public static final String DATA_LOST = "DataLost:";
    public static final String NOT_A_MEMBER = "NotAMember:";
    public static final String UNKNOWN_DATA = "UnknownData:";
    /**
     * Member 0 has no data while the bootstrap journal says other retained volumes hold an earlier cluster: it
     * waits for them, and once they answer it is replaced like a member whose data is lost.
     */
    public static final String RETAINED_MEMBERS = "WaitingForRetainedMembers:";

    /**
     * Written on success: etcd starts with --force-new-cluster, as a recovery from this survivor asked. The operator
     * restarts the pod once more without the flag before the cluster grows.
     */
    public static final String FORCED_NEW_CLUSTER = "ForcedNewCluster:";
    /** A restore from a backup was asked for, but no backup store is configured. */
    public static final String NO_BACKUP_STORE = "NoBackupStore:";
    /**
     * Written on success: member 0 starts on data restored from a backup for the open RestoreFromBackup (restored now,
     * or earlier for the same request and kept), followed by the backup's name.
     */
    public static final String RESTORED_FROM_BACKUP = "RestoredFromBackup:";
    /** A recovery from another member removed this one: its data was moved aside, and it waits to join as a learner. */
    public static final String MOVED_ASIDE = "MovedAsideForRecovery:";

    private BootstrapReport() {
    }

    public static boolean isForcedNewCluster(String terminationMessage) {
        return terminationMessage != null && terminationMessage.startsWith(FORCED_NEW_CLUSTER);
    }

    public static boolean isRestoredFromBackup(String terminationMessage) {
        return terminationMessage != null && terminationMessage.startsWith(RESTORED_FROM_BACKUP);
    }

    public static boolean isDataLoss(String terminationMessage) {
        return terminationMessage != null && (terminationMessage.startsWith(DATA_LOST) || terminationMessage.startsWith(RETAINED_MEMBERS)
                || terminationMessage.startsWith(MOVED_ASIDE));
    }
}
