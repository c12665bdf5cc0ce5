package com.storageos.etcd.packaging;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What the operator is designed to touch, resource by resource, from the packaging issue. The chart must grant
 * exactly this (least privilege); {@link OperatorRbacCoverageTest} also checks it against what the code does.
 */
final class OperatorAccess {

    static final String ETCD_GROUP = "etcd.storageos.com";
    static final KubeResource ETCD_CLUSTERS = KubeResource.of(ETCD_GROUP, "etcdclusters");
    static final KubeResource STORAGEOS_CLUSTERS = KubeResource.of("storageos.com", "storageosclusters");
    static final KubeResource LEASES = KubeResource.of("coordination.k8s.io", "leases");

    private static final Set<String> CRUD = Set.of("get", "list", "watch", "create", "patch", "update", "delete");

    /** Granted in every namespace that holds EtcdClusters (cluster-wide by default). */
    static final Map<KubeResource, Set<String>> PER_CLUSTER_NAMESPACE = perClusterNamespace();

    /** Read by name at start-up (the Operator SDK checks its CRDs are installed), nothing else cluster-wide. */
    static final KubeResource CRDS = KubeResource.of("apiextensions.k8s.io", "customresourcedefinitions");

    /** Granted only when StorageOS sync is on. */
    static final Map<KubeResource, Set<String>> STORAGEOS_SYNC = Map.of(STORAGEOS_CLUSTERS, CRUD);

    /**
     * Granted in the release namespace only, for leader election. fabric8's elector renews with PATCH:
     * without it the leader lost its Lease on a real API server (LeaderElectionApiServerTest).
     */
    static final Map<KubeResource, Set<String>> LEADER_ELECTION = Map.of(LEASES, Set.of("get", "create", "update", "patch"));

    private OperatorAccess() {
    }

    private static Map<KubeResource, Set<String>> perClusterNamespace() {
        Map<KubeResource, Set<String>> access = new LinkedHashMap<>();
        access.put(ETCD_CLUSTERS, Set.of("get", "list", "watch", "patch", "update"));
        access.put(ETCD_CLUSTERS.status(), Set.of("get", "patch", "update"));
        access.put(ETCD_CLUSTERS.finalizers(), Set.of("update"));
        access.put(KubeResource.of("apps", "statefulsets"), CRUD);
        access.put(KubeResource.of("apps", "deployments"), CRUD);
        access.put(KubeResource.core("services"), CRUD);
        access.put(KubeResource.core("serviceaccounts"), CRUD);
        access.put(KubeResource.core("pods"), Set.of("get", "list", "watch", "delete"));
        access.put(KubeResource.core("pods/status"), Set.of("get", "patch"));
        access.put(KubeResource.core("pods/eviction"), Set.of("create"));
        access.put(KubeResource.core("persistentvolumeclaims"), Set.of("get", "list", "watch", "patch", "delete"));
        access.put(KubeResource.core("secrets"), Set.of("get", "list", "watch", "create", "patch", "update", "delete"));
        access.put(KubeResource.core("events"), Set.of("create", "patch"));
        access.put(KubeResource.of("events.k8s.io", "events"), Set.of("create", "patch"));
        access.put(KubeResource.of("cert-manager.io", "certificates"), Set.of("get", "create", "update"));
        access.put(KubeResource.of("policy", "poddisruptionbudgets"), CRUD);
        access.put(KubeResource.of("rbac.authorization.k8s.io", "roles"), CRUD);
        access.put(KubeResource.of("rbac.authorization.k8s.io", "rolebindings"), CRUD);
        access.put(KubeResource.of("batch", "cronjobs"), CRUD);
        access.put(KubeResource.of("batch", "jobs"), Set.of("get", "list", "watch", "create", "delete"));
        return Map.copyOf(access);
    }
}
