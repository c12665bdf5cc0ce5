package com.storageos.etcd.reconciler.kvbackend;

import java.util.List;

/**
 * What the kvbackend controller does with the API. The Helm chart must grant these (a ClusterRole,
 * since StorageOSClusters live in other namespaces and are watched in all of them); QOSDK's
 * generated RBAC covers only the primary resource.
 */
public final class KvBackendPermissions {
    public static final String STORAGEOS_GROUP = "storageos.com";
    public static final String STORAGEOS_RESOURCE = "storageosclusters";
    /** get/list/watch: informer and fresh reads; patch: Patch policy; delete/create: Recreate policy. */
    public static final List<String> STORAGEOS_VERBS = List.of("get", "list", "watch", "patch", "delete", "create");
    /** get: the source client Secret; create/update: its copy in the StorageOS namespace. */
    public static final List<String> SECRET_VERBS = List.of("get", "create", "update");
    /** create: the Events announcing writes and recreations. */
    public static final List<String> EVENT_VERBS = List.of("create");
    /** get + patch of etcdclusters/status: status.storageos and the StorageOSSynced condition. */
    public static final List<String> ETCDCLUSTER_STATUS_VERBS = List.of("get", "patch");

    private KvBackendPermissions() {
    }
}
