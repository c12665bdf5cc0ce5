package com.storageos.etcd.cli;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.naming.ClusterNames;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.Optional;

/** The plugin's only Kubernetes I/O: read one EtcdCluster and its backup Jobs, and write a request annotation. */
final class ClusterRequests {
    /** The field manager the API server records, so that status.recovery.requestedBy says the plugin asked. */
    static final String FIELD_MANAGER = "kubectl-etcd";
    private final KubernetesClient client;
    private final String namespace;
    private final String name;

    private ClusterRequests(KubernetesClient client, String namespace, String name) {
        this.client = client;
        this.namespace = namespace;
        this.name = name;
    }

    /** The named cluster, or the only one in the namespace. */
    static ClusterRequests find(KubernetesClient client, String namespace, Optional<String> name) throws PluginException {
        if (name.isPresent()) {
            return new ClusterRequests(client, namespace, name.get());
        }
        List<String> names = client.resources(EtcdCluster.class).inNamespace(namespace).list().getItems().stream()
                .map(c -> c.getMetadata().getName()).sorted().toList();
        if (names.size() != 1) {
            throw new PluginException(names.isEmpty() ? ExitCode.API : ExitCode.USAGE, names.isEmpty()
                    ? "no EtcdCluster in namespace " + namespace + " (-n to name another)"
                    : "namespace " + namespace + " holds several EtcdClusters, name one: " + String.join(", ", names));
        }
        return new ClusterRequests(client, namespace, names.get(0));
    }

    EtcdCluster cluster() throws PluginException {
        EtcdCluster cluster = client.resources(EtcdCluster.class).inNamespace(namespace).withName(name).get();
        if (cluster == null) {
            throw new PluginException(ExitCode.API, "etcdcluster " + namespace + "/" + name + " not found");
        }
        return cluster;
    }

    ClusterNames names() {
        return new ClusterNames(name, namespace);
    }

    /** Sets (or, with null, removes) one annotation with a JSON merge patch: nothing else of the object is touched. */
    void annotate(String key, String value) throws PluginException {
        cluster(); // a clear "not found" rather than the patch's 404
        String json = value == null ? "null" : "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        client.resources(EtcdCluster.class).inNamespace(namespace).withName(name).patch(new PatchContext.Builder()
                .withPatchType(PatchType.JSON_MERGE).withFieldManager(FIELD_MANAGER).build(),
                "{\"metadata\":{\"annotations\":{\"" + key + "\":" + json + "}}}");
    }

    /** The backup Jobs kept for the cluster: its CronJob's and the on-demand ones, all named after the CronJob. */
    List<Job> backupJobs() {
        String prefix = names().backupCronJob() + "-";
        return client.batch().v1().jobs().inNamespace(namespace).list().getItems().stream()
                .filter(j -> j.getMetadata().getName().startsWith(prefix)).toList();
    }

    Optional<Job> job(String jobName) {
        return Optional.ofNullable(client.batch().v1().jobs().inNamespace(namespace).withName(jobName).get());
    }
}
