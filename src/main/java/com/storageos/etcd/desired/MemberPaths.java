package com.storageos.etcd.desired;

/** Paths inside a member pod, shared by the pod spec and the bootstrap tool. */
public final class MemberPaths {
    public static final String DATA_MOUNT = "/var/lib/etcd";
    /** A subdirectory, so that a volume's lost+found never looks like etcd data. */
    public static final String DATA_DIR = DATA_MOUNT + "/data";
    public static final String CONFIG_MOUNT = "/etc/etcd-operator";
    public static final String CONFIG_FILE = CONFIG_MOUNT + "/etcd.conf.yaml";
    public static final String ETCD_BINARY = "/usr/local/bin/etcd";
    public static final int METRICS_PORT = 2381;

    private MemberPaths() {
    }
}
