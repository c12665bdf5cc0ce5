package com.storageos.etcd.reconciler.etcdcluster;

import com.storageos.etcd.naming.ClusterNames;
import io.fabric8.kubernetes.client.KubernetesClient;

record KubernetesClusterOperations(KubernetesClient client, ClusterNames names) implements ClusterOperations {
    @Override
    public void deletePod(int ordinal) {
        client.pods().inNamespace(names.namespace()).withName(names.member(ordinal)).delete();
    }

    @Override
    public void deleteDataClaim(int ordinal) {
        client.persistentVolumeClaims().inNamespace(names.namespace()).withName(names.dataClaim(ordinal)).delete();
    }
}
