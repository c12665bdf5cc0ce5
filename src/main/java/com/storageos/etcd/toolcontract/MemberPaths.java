package com.storageos.etcd.toolcontract;

/** Paths inside a member pod, shared by the pod spec and the bootstrap tool. */
public final class MemberPaths {
    public static final String DATA_MOUNT = "/var/lib/etcd";
    /** A subdirectory, so that a volume's lost+found never looks like etcd data. */
    public static final String DATA_DIR = DATA_MOUNT + "/data";
    /**
     * etcd's config file lives inside {@code member/}, the directory etcd keeps its WAL and snapshots in, so that it
     * goes with the data: a member whose data dir, or only {@code member/}, is lost under its running pod has no config
     * at the next start of its container, and etcd exits instead of starting on the empty dir under its old member ID
     * (or, for member 0, forming a new cluster). Init containers do not run again when a container restarts in place,
     * so this is the one check made at every start of etcd, by etcd itself. The crash loop gets the pod recreated, and
     * its bootstrap reports the lost data. A file in {@code member/} is ignored by etcd (it reads only wal/ and snap/).
     */
    public static final String CONFIG_FILE_IN_DATA_DIR = "member/etcd.conf.yaml";
    public static final String CONFIG_FILE = DATA_DIR + "/" + CONFIG_FILE_IN_DATA_DIR;
    public static final String ETCD_BINARY = "/usr/local/bin/etcd";
    public static final int METRICS_PORT = 2381;
    /** Secret volumes, each with ca.crt, tls.crt and tls.key; etcd reads them on every handshake, so renewed files apply without a restart. */
    public static final String TLS_PEER_DIR = "/etc/etcd/tls/peer";
    public static final String TLS_SERVER_DIR = "/etc/etcd/tls/server";
    /** In tool pods: the client certificate the tools present. */
    public static final String TLS_CLIENT_DIR = "/etc/etcd/tls/client";

    private MemberPaths() {
    }
}
