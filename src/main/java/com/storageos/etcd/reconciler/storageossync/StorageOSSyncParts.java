package com.storageos.etcd.reconciler.storageossync;

import com.storageos.etcd.clusterstatus.ClusterStatusWriter;
import com.storageos.etcd.events.ClusterEvents;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;

/** The collaborators of one sync pass, bound to the reconcile's client. */
record StorageOSSyncParts(Clock clock, StorageOSClusterPatch clusters, ClusterStatusWriter status, ClusterEvents events,
        EtcdClientSecretCopy secrets, StorageOSRecreation recreation, NodePods nodes) {

    static StorageOSSyncParts of(KubernetesClient client, Clock clock, Duration recreateWait) {
        return new StorageOSSyncParts(clock, new StorageOSClusterPatch(client), new ClusterStatusWriter(client),
                new ClusterEvents(client, clock), new EtcdClientSecretCopy(client), new StorageOSRecreation(client, recreateWait),
                new NodePods(client));
    }
}
