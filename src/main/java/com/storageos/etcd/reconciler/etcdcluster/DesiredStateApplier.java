package com.storageos.etcd.reconciler.etcdcluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Writes desired objects with server-side apply: the operator owns exactly the fields it sets,
 * other controllers' fields (defaults, the StatefulSet controller's) are left alone, and an
 * unchanged object costs no write on the server.
 */
class DesiredStateApplier {
    static final String FIELD_MANAGER = "etcd-operator";
    private final KubernetesClient client;

    DesiredStateApplier(KubernetesClient client) {
        this.client = client;
    }

    <T extends HasMetadata> T apply(T desired) {
        return client.resource(desired).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
    }
}
