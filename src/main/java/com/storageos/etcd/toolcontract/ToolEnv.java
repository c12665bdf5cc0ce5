package com.storageos.etcd.toolcontract;

/**
 * Environment of the backup and defrag tool pods. Everything else (destination, retention, rule)
 * the tools read from their EtcdCluster at run time, so a spec edit applies to the next run
 * without waiting for the CronJob to be re-rendered.
 */
public final class ToolEnv {
    public static final String CLUSTER_NAME = BootstrapToolEnv.CLUSTER_NAME;
    public static final String NAMESPACE = BootstrapToolEnv.POD_NAMESPACE;
    /** Comma-separated client URLs of every recorded member: tools pick a member themselves. */
    public static final String ENDPOINTS = "ETCD_ENDPOINTS";
    /** Set when the client port is TLS: the directory with ca.crt, tls.crt and tls.key of the client certificate. */
    public static final String TLS_DIR = "ETCD_TLS_DIR";
    /** Directory of PVC backups inside the tool pod. */
    public static final String BACKUP_DIR = "BACKUP_DIR";
    /** The value of the backup-now annotation that an on-demand Job serves. */
    public static final String BACKUP_REQUEST = "BACKUP_REQUEST";
    /** Optional tuning of S3 uploads: the size above which a snapshot goes in parts, and the part size (at least 5 MiB). */
    public static final String S3_MULTIPART_THRESHOLD_BYTES = "S3_MULTIPART_THRESHOLD_BYTES";
    public static final String S3_PART_SIZE_BYTES = "S3_PART_SIZE_BYTES";
    public static final String AWS_ACCESS_KEY_ID = "AWS_ACCESS_KEY_ID";
    public static final String AWS_SECRET_ACCESS_KEY = "AWS_SECRET_ACCESS_KEY";
    /** The PVC of a PVC destination is mounted here; backups go to {@code <mount>/<path or cluster>}. */
    public static final String BACKUP_MOUNT = "/backup";
    /** A writable scratch dir: the root filesystem is read-only, and S3 uploads stage the snapshot here. */
    public static final String SCRATCH_MOUNT = "/tmp";
    /** Where a tool works on large files; the scratch mount unless set. */
    public static final String SCRATCH_DIR = "SCRATCH_DIR";

    private ToolEnv() {
    }
}
