package com.storageos.etcd.reconciler.etcdcluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Writes desired objects with server-side apply: the operator owns exactly the fields it sets,
 * other controllers' fields (defaults, the StatefulSet controller's) and a user's labels are left alone.
 *
 * <p>A converged cluster costs no request at all: an object is applied only if its desired form
 * changed since this operator last applied it, or the cached live object (the informers of
 * {@link OwnedObjectCaches}) no longer carries every desired field. Both are needed: the first notices a
 * field we stopped setting (which apply removes), the second an edit by someone else. After a restart the
 * memory is empty, so each object is applied once. Only an object whose EtcdCluster still lives is written ({@link LiveOwner}).
 */
public class DesiredStateApplier {
    private static final Logger LOG = Logger.getLogger(DesiredStateApplier.class);
    static final String FIELD_MANAGER = "etcd-operator";
    private final KubernetesClient client;
    private final OwnedObjectCaches caches;
    private final LiveOwner owner;
    /** kind/namespace/name to the desired form last applied. */
    private final Map<String, Map<String, Object>> lastApplied = new ConcurrentHashMap<>();

    DesiredStateApplier(KubernetesClient client, OwnedObjectCaches caches) {
        this.client = client;
        this.caches = caches;
        this.owner = new LiveOwner(client);
    }

    @SuppressWarnings("unchecked")
    public <T extends HasMetadata> T apply(T desired) {
        KubernetesSerialization json = client.getKubernetesSerialization();
        Map<String, Object> wanted = json.convertValue(desired, Map.class);
        String key = desired.getKind() + "/" + desired.getMetadata().getNamespace() + "/" + desired.getMetadata().getName();
        T live = caches.get((Class<T>) desired.getClass(), desired.getMetadata().getNamespace(), desired.getMetadata().getName())
                .orElse(null);
        if (live != null && wanted.equals(lastApplied.get(key)) && LiveCoverage.covers(json.convertValue(live, Map.class), wanted)) {
            return live;
        }
        if (!owner.owns(desired)) {
            LOG.infof("%s not written: its EtcdCluster was deleted or replaced while this reconcile ran", key);
            return live;
        }
        T applied = client.resource(desired).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
        lastApplied.put(key, wanted);
        caches.written(applied, live);
        return applied;
    }
}
