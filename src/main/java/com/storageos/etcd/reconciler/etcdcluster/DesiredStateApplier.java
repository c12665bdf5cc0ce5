package com.storageos.etcd.reconciler.etcdcluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/**
 * Writes desired objects with server-side apply: the operator owns exactly the fields it sets,
 * other controllers' fields (defaults, the StatefulSet controller's) are left alone, and an
 * unchanged object costs no write on the server.
 *
 * <p>fabric8's mock API server (tests, sandbox) has no server-side apply: it answers 415, or 404 for
 * an object that does not exist yet. A real API server never does either for an apply, so on the
 * first 415 this applier switches to create-or-merge-patch, which the mock implements.
 */
public class DesiredStateApplier {
    static final String FIELD_MANAGER = "etcd-operator";
    private final KubernetesClient client;
    private volatile boolean serverSideApply = true;

    public DesiredStateApplier(KubernetesClient client) {
        this.client = client;
    }

    public <T extends HasMetadata> T apply(T desired) {
        if (serverSideApply) {
            try {
                return client.resource(desired).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
            } catch (KubernetesClientException e) {
                if (e.getCode() == 415) {
                    serverSideApply = false;
                } else if (e.getCode() != 404) {
                    throw e;
                }
            }
        }
        return mergePatchOrCreate(desired);
    }

    private <T extends HasMetadata> T mergePatchOrCreate(T desired) {
        try {
            return client.resource(desired).patch(PatchContext.of(PatchType.JSON_MERGE));
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
            return client.resource(desired).create();
        }
    }
}
