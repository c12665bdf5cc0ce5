package com.storageos.etcd.desired;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.naming.ClusterNames;

final class ClusterNamesOf {
    private ClusterNamesOf() {
    }

    static ClusterNames of(EtcdCluster cluster) {
        return new ClusterNames(cluster.getMetadata().getName(), cluster.getMetadata().getNamespace());
    }
}
