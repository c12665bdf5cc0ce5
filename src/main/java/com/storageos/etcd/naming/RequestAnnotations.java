package com.storageos.etcd.naming;

/**
 * The annotations a user writes on an EtcdCluster to ask for something: their keys in one place, for the readers
 * of each request ({@code desired/PauseRequest}, {@code RecoveryAnnotation}, {@code BackupRequest},
 * {@code CaRotationRequest}, {@code membership/Migration}) and for the status messages that tell a user which to write.
 */
public final class RequestAnnotations {
    public static final String PAUSED = "etcd.storageos.com/paused";
    public static final String RECOVER_FROM_SURVIVOR = "etcd.storageos.com/recover-from-survivor";
    public static final String RESTORE_FROM_BACKUP = "etcd.storageos.com/restore-from-backup";
    /** Closes the recovery in progress (from a survivor or a backup) where it stands; each value is served once. */
    public static final String ABORT_RECOVERY = "etcd.storageos.com/abort-recovery";
    public static final String BACKUP_NOW = "etcd.storageos.com/backup-now";
    public static final String ROTATE_CA = "etcd.storageos.com/rotate-ca";
    public static final String APPROVE_MIGRATION = "etcd.storageos.com/approve-migration";

    private RequestAnnotations() {
    }
}
