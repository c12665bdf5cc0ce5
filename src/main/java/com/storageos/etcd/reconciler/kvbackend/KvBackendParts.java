package com.storageos.etcd.reconciler.kvbackend;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;

/** The collaborators of one sync pass, bound to the reconcile's client. */
record KvBackendParts(Clock clock, StorageOSClusterPatch clusters, KvBackendStatusWriter status, KvBackendEvents events,
        EtcdClientSecretCopy secrets, StorageOSRecreation recreation) {

    static KvBackendParts of(KubernetesClient client, Clock clock, Duration recreateTimeout) {
        return new KvBackendParts(clock, new StorageOSClusterPatch(client), new KvBackendStatusWriter(client),
                new KvBackendEvents(client, clock), new EtcdClientSecretCopy(client), new StorageOSRecreation(client, recreateTimeout));
    }
}
