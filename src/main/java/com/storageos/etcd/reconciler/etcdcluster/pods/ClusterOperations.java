package com.storageos.etcd.reconciler.etcdcluster.pods;

/** The few Kubernetes writes membership steps make besides the StatefulSet's replicas. */
public interface ClusterOperations {
    /** What became of a pod disruption. */
    enum Disrupted {
        /** The pod is going: the StatefulSet recreates it. */
        DONE,
        /** The PodDisruptionBudget allows no disruption now (HTTP 429): a node drain or another pod took it. */
        REFUSED_BY_BUDGET,
        /** No pod of that UID exists any more: it was already replaced since the observation. */
        ALREADY_REPLACED
    }

    /** Through the Eviction API, with the pod's UID as a precondition. */
    Disrupted evictPod(int ordinal, String uid);

    /** A plain delete with the pod's UID as a precondition, for where the budget would refuse forever. */
    Disrupted deletePod(int ordinal, String uid);

    void deleteDataClaim(int ordinal);

    /** A StorageOS node pod, through the Eviction API, with its UID as a precondition. */
    Disrupted evictStorageOSNode(String namespace, String pod, String uid);
}
