package com.storageos.etcd.reconciler.etcdcluster;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.desired.BackupAgentDeployment;
import com.storageos.etcd.desired.BackupCronJob;
import com.storageos.etcd.desired.BackupRequest;
import com.storageos.etcd.desired.DefragCronJob;
import com.storageos.etcd.desired.RenderSettings;
import com.storageos.etcd.desired.ToolAccess;
import com.storageos.etcd.events.ClusterEvents;
import com.storageos.etcd.naming.ClusterNames;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.Map;

/**
 * The backup and defrag CronJobs, the backup agent's Deployment, their ServiceAccount, and on-demand backup Jobs. A
 * CronJob exists exactly while its spec section does, the agent while spec.backup.continuous.enabled is true; all run
 * this operator's image in tool mode.
 */
final class ToolWorkloads {
    private final KubernetesClient client;
    private final OwnedObjectCaches caches;
    private final DesiredStateApplier applier;
    private final RenderSettings settings;
    private final ClusterEvents events;

    ToolWorkloads(KubernetesClient client, OwnedObjectCaches caches, DesiredStateApplier applier, RenderSettings settings,
                  ClusterEvents events) {
        this.client = client;
        this.caches = caches;
        this.applier = applier;
        this.settings = settings;
        this.events = events;
    }

    void reconcile(EtcdCluster cluster, ClusterNames names, int members) {
        boolean backup = cluster.getSpec().getBackup() != null;
        boolean defrag = cluster.getSpec().getDefrag() != null;
        if (backup || defrag) {
            List.of(ToolAccess.serviceAccount(cluster), ToolAccess.role(cluster), ToolAccess.roleBinding(cluster)).forEach(applier::apply);
        }
        cronJob(names.namespace(), names.backupCronJob(), backup ? BackupCronJob.build(cluster, members, settings) : null);
        cronJob(names.namespace(), names.defragCronJob(), defrag ? DefragCronJob.build(cluster, members, settings) : null);
        backupAgent(names, BackupAgentDeployment.wanted(cluster) ? BackupAgentDeployment.build(cluster, settings) : null);
        BackupRequest.pending(cluster).ifPresent(request -> startBackupNow(cluster, names, members, request));
    }

    private void cronJob(String namespace, String name, CronJob desired) {
        if (desired != null) {
            applier.apply(desired);
        } else if (caches.get(CronJob.class, namespace, name).isPresent()) {
            // Looked up first (in the cache): a blind delete of an absent CronJob is a write request on every reconcile.
            client.batch().v1().cronjobs().inNamespace(namespace).withName(name).delete();
        }
    }

    private void backupAgent(ClusterNames names, Deployment desired) {
        if (desired != null) {
            applier.apply(desired);
        } else if (caches.get(Deployment.class, names.namespace(), names.backupAgent()).isPresent()) {
            client.apps().deployments().inNamespace(names.namespace()).withName(names.backupAgent()).delete();
        }
    }

    /** The Job's name comes from the request, so a retry after a crash finds the Job instead of starting a second. */
    private void startBackupNow(EtcdCluster cluster, ClusterNames names, int members, String request) {
        String job = BackupRequest.jobName(names, request);
        if (client.batch().v1().jobs().inNamespace(names.namespace()).withName(job).get() == null) {
            client.resource(BackupCronJob.onDemandJob(cluster, members, settings, request)).create();
            events.normal(cluster, "BackupRequested", "started on-demand backup Job " + job + " for request '" + request + "'");
        }
        String patch = client.getKubernetesSerialization().asJson(
                Map.of("metadata", Map.of("annotations", Map.of(BackupRequest.HANDLED_ANNOTATION, request))));
        client.resources(EtcdCluster.class).inNamespace(names.namespace()).withName(names.cluster())
                .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    }
}
