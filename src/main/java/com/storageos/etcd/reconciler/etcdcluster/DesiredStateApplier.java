package com.storageos.etcd.reconciler.etcdcluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes desired objects with server-side apply: the operator owns exactly the fields it sets,
 * other controllers' fields (defaults, the StatefulSet controller's) and a user's labels are left alone.
 *
 * <p>A converged cluster costs no write request: an object is applied only if its desired form
 * changed since this operator last applied it, or the live object no longer carries every desired
 * field. Both are needed: the first notices a field we stopped setting (which apply removes), the
 * second an edit by someone else. After a restart the memory is empty, so each object is applied once.
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
    /** kind/namespace/name to the desired form last applied. */
    private final Map<String, Map<String, Object>> lastApplied = new ConcurrentHashMap<>();

    public DesiredStateApplier(KubernetesClient client) {
        this.client = client;
    }

    @SuppressWarnings("unchecked")
    public <T extends HasMetadata> T apply(T desired) {
        KubernetesSerialization json = client.getKubernetesSerialization();
        Map<String, Object> wanted = json.convertValue(desired, Map.class);
        String key = desired.getKind() + "/" + desired.getMetadata().getNamespace() + "/" + desired.getMetadata().getName();
        if (wanted.equals(lastApplied.get(key))) {
            T live = client.resource(desired).get();
            if (live != null && LiveCoverage.covers(json.convertValue(live, Map.class), wanted)) {
                return live;
            }
        }
        T applied = write(desired);
        lastApplied.put(key, wanted);
        return applied;
    }

    private <T extends HasMetadata> T write(T desired) {
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
