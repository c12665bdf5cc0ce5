package com.storageos.etcd.desired;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.spec.BackupSpec;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.naming.Labels;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The backup agent ({@code spec.backup.continuous}): one pod running {@code tool follow}, which writes every change of
 * the cluster to the backup store beside the snapshots. The same pod as the backup Jobs' (ServiceAccount, store, TLS
 * client files, security context, placement), restarted in place. Recreate, never two agents at once: two followers
 * would write two chains, and a ReadWriteOnce claim can hold only the old pod's node during a rolling update. Its only
 * etcd address is the client Service, and it lists the members itself: a pod template that named each member would
 * restart the agent at every scale.
 */
public final class BackupAgentDeployment {
    public static final String COMPONENT = "backup-agent";
    static final String TOOL = "follow";
    /** Where a ReadWriteOnce claim lives: one node, not one pod. */
    static final String NODE = "kubernetes.io/hostname";

    private BackupAgentDeployment() {
    }

    /** True when the cluster's spec asks for the agent. */
    public static boolean wanted(EtcdCluster cluster) {
        return Optional.ofNullable(cluster.getSpec().getBackup()).map(BackupSpec::continuousEnabled).orElse(false);
    }

    /** Requires {@link #wanted}. */
    public static Deployment build(EtcdCluster cluster, RenderSettings settings) {
        ClusterNames names = ClusterNamesOf.of(cluster);
        Map<String, String> labels = agentLabels(cluster);
        PodTemplateSpec pod = new PodTemplateSpecBuilder(BackupCronJob.storePod(cluster, TOOL, ToolPodTemplate.clientService(cluster, settings), settings, List.of()))
                .editMetadata().withLabels(labels).endMetadata()
                .editSpec().withRestartPolicy("Always").endSpec()
                .build();
        return new DeploymentBuilder()
                .withMetadata(ObjectMetas.owned(cluster, names.backupAgent(), COMPONENT))
                .withNewSpec()
                .withReplicas(1)
                .withNewSelector().withMatchLabels(labels).endSelector()
                .withNewStrategy().withType("Recreate").endStrategy()
                .withTemplate(pod)
                .endSpec()
                .build();
    }

    /**
     * A backup Job's pod beside the agent when both mount a claim: ReadWriteOnce mounts on one node, however many pods
     * there use it, so the Job runs on the agent's node instead of waiting on an attach the agent holds. The user's
     * placement stays; an S3 store needs nothing.
     */
    static PodTemplateSpec onAgentsNode(EtcdCluster cluster, PodTemplateSpec pod) {
        if (!wanted(cluster) || cluster.getSpec().getBackup().getPvc() == null) {
            return pod;
        }
        Affinity affinity = new AffinityBuilder(Optional.ofNullable(pod.getSpec().getAffinity()).orElseGet(Affinity::new))
                .editOrNewPodAffinity()
                .addNewRequiredDuringSchedulingIgnoredDuringExecution()
                .withNewLabelSelector().withMatchLabels(agentLabels(cluster)).endLabelSelector()
                .withTopologyKey(NODE)
                .endRequiredDuringSchedulingIgnoredDuringExecution()
                .endPodAffinity()
                .build();
        return new PodTemplateSpecBuilder(pod).editSpec().withAffinity(affinity).endSpec().build();
    }

    private static Map<String, String> agentLabels(EtcdCluster cluster) {
        return Labels.forComponent(ClusterNamesOf.of(cluster).cluster(), COMPONENT);
    }
}
