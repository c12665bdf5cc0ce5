package com.storageos.etcd.toolcontract;

/** Environment the member pod gives to the {@code tool bootstrap} init container. */
public final class BootstrapToolEnv {
    public static final String POD_NAME = "POD_NAME";
    public static final String POD_NAMESPACE = "POD_NAMESPACE";
    public static final String CLUSTER_NAME = "ETCD_CLUSTER_NAME";
    /** JSON of the member config template ({@code desired.EtcdFlags}), with the ordinal still to fill in. */
    public static final String CONFIG_TEMPLATE = "ETCD_CONFIG_TEMPLATE";

    private BootstrapToolEnv() {
    }
}
