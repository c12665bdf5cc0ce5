package com.storageos.etcd.reconciler.etcdcluster;

/** The few Kubernetes writes membership steps make besides the StatefulSet's replicas. */
interface ClusterOperations {
    void deletePod(int ordinal);

    void deleteDataClaim(int ordinal);
}
