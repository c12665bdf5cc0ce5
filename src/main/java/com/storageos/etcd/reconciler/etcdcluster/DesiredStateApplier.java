package com.storageos.etcd.reconciler.etcdcluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;

/**
 * Writes desired objects with server-side apply: the operator owns exactly the fields it sets,
 * other controllers' fields (defaults, the StatefulSet controller's) are left alone, and an
 * unchanged object costs no write on the server.
 *
 * <p>fabric8's mock API server (tests, sandbox) has no server-side apply: it answers 415, or 404 for
 * an object that does not exist yet. A real API server never does either for an apply, so on the
 * first 415 this applier switches to create-or-replace. (Not a merge patch: the mock merges arrays
 * by appending, which would duplicate a Role's rules on every reconcile.)
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
        return createOrReplace(desired);
    }

    /** Replaces the object's content with the desired one, keeping server-set metadata and the status. */
    @SuppressWarnings("unchecked")
    private <T extends HasMetadata> T createOrReplace(T desired) {
        T existing = client.resource(desired).get();
        if (existing == null) {
            return client.resource(desired).create();
        }
        KubernetesSerialization json = client.getKubernetesSerialization();
        Map<String, Object> next = json.convertValue(desired, Map.class);
        Map<String, Object> current = json.convertValue(existing, Map.class);
        Map<String, Object> metadata = (Map<String, Object>) current.get("metadata");
        Map<String, Object> wanted = (Map<String, Object>) next.get("metadata");
        for (String key : List.of("labels", "annotations", "ownerReferences")) {
            metadata.put(key, wanted.get(key));
        }
        next.put("metadata", metadata);
        if (current.containsKey("status")) {
            next.put("status", current.get("status"));
        }
        return client.resource((T) json.convertValue(next, desired.getClass())).update();
    }
}
