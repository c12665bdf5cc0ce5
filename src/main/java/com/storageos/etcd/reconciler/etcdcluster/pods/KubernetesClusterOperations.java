package com.storageos.etcd.reconciler.etcdcluster.pods;

import com.storageos.etcd.naming.ClusterNames;
import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.EvictionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;

public record KubernetesClusterOperations(KubernetesClient client, ClusterNames names) implements ClusterOperations {
    @Override
    public Disrupted evictPod(int ordinal, String uid) {
        return evict(names.namespace(), names.member(ordinal), uid);
    }

    @Override
    public Disrupted evictStorageOSNode(String namespace, String pod, String uid) {
        return evict(namespace, pod, uid);
    }

    private Disrupted evict(String namespace, String pod, String uid) {
        try {
            boolean evicted = client.pods().inNamespace(namespace).withName(pod).evict(new EvictionBuilder()
                    .withNewMetadata().withName(pod).withNamespace(namespace).endMetadata()
                    .withDeleteOptions(precondition(uid)).build());
            return evicted ? Disrupted.DONE : Disrupted.REFUSED_BY_BUDGET;
        } catch (KubernetesClientException e) {
            return replaced(e);
        }
    }

    @Override
    public Disrupted deletePod(int ordinal, String uid) {
        String path = "/api/v1/namespaces/" + names.namespace() + "/pods/" + names.member(ordinal);
        try {
            // raw() answers null for a 404 rather than throwing.
            return client.raw(path, "DELETE", precondition(uid)) == null ? Disrupted.ALREADY_REPLACED : Disrupted.DONE;
        } catch (KubernetesClientException e) {
            return replaced(e);
        }
    }

    @Override
    public void deleteDataClaim(int ordinal) {
        client.persistentVolumeClaims().inNamespace(names.namespace()).withName(names.dataClaim(ordinal)).delete();
    }

    /** An empty UID (the observation saw no pod) sets no precondition. */
    private static DeleteOptions precondition(String uid) {
        return uid.isEmpty() ? new DeleteOptions() : new DeleteOptionsBuilder().withNewPreconditions().withUid(uid).endPreconditions().build();
    }

    /** 404: no such pod; 409: a pod of that name with another UID. Either way the observed pod is gone already. */
    private static Disrupted replaced(KubernetesClientException e) {
        if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND || e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
            return Disrupted.ALREADY_REPLACED;
        }
        throw e;
    }
}
