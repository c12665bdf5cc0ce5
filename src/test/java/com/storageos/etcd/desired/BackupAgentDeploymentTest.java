package com.storageos.etcd.desired;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.spec.ContinuousBackupSpec;
import com.storageos.etcd.api.v1alpha1.spec.PodTemplateSpec;
import com.storageos.etcd.api.v1alpha1.spec.S3DestinationSpec;
import com.storageos.etcd.naming.Labels;
import com.storageos.etcd.toolcontract.ToolEnv;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

class BackupAgentDeploymentTest {

    private static EtcdCluster continuous() {
        EtcdCluster c = ToolCronJobTest.cluster();
        ContinuousBackupSpec spec = new ContinuousBackupSpec();
        spec.setEnabled(true);
        c.getSpec().getBackup().setContinuous(spec);
        return c;
    }

    @Test
    void theAgentIsOptIn() {
        EtcdCluster c = ToolCronJobTest.cluster();
        assertThat(BackupAgentDeployment.wanted(c)).isFalse();
        c.getSpec().getBackup().setContinuous(new ContinuousBackupSpec());
        assertThat(BackupAgentDeployment.wanted(c)).as("continuous: {} is still off").isFalse();
        assertThat(BackupAgentDeployment.wanted(continuous())).isTrue();
    }

    @Test
    void oneAgentAtATimeRunningFollowInTheBackupJobsPod() {
        Deployment d = BackupAgentDeployment.build(continuous(), ToolCronJobTest.SETTINGS);
        assertThat(d.getMetadata().getName()).isEqualTo("kv-backup-agent");
        assertThat(d.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> assertThat(o.getUid()).isEqualTo("u1"));
        assertThat(d.getSpec().getReplicas()).isEqualTo(1);
        assertThat(d.getSpec().getStrategy().getType()).isEqualTo("Recreate");
        assertThat(d.getSpec().getSelector().getMatchLabels()).isEqualTo(d.getSpec().getTemplate().getMetadata().getLabels())
                .containsEntry(Labels.COMPONENT, "backup-agent").containsEntry(Labels.CLUSTER, "kv");
        PodSpec agent = d.getSpec().getTemplate().getSpec();
        PodSpec job = BackupCronJob.build(continuous(), 3, ToolCronJobTest.SETTINGS).getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
        assertThat(agent.getRestartPolicy()).isEqualTo("Always");
        assertThat(agent.getContainers().get(0).getArgs()).containsExactly("tool", "follow");
        assertThat(agent.getServiceAccountName()).isEqualTo(job.getServiceAccountName()).isEqualTo("kv-tool");
        assertThat(agent.getSecurityContext()).isEqualTo(job.getSecurityContext());
        assertThat(agent.getVolumes()).isEqualTo(job.getVolumes());
        assertThat(agent.getContainers().get(0).getVolumeMounts()).isEqualTo(job.getContainers().get(0).getVolumeMounts());
        assertThat(agent.getContainers().get(0).getEnv()).filteredOn(e -> !e.getName().equals(ToolEnv.ENDPOINTS))
                .isEqualTo(job.getContainers().get(0).getEnv().stream().filter(e -> !e.getName().equals(ToolEnv.ENDPOINTS)).toList())
                .anySatisfy(e -> assertThat(e.getName()).isEqualTo(ToolEnv.BACKUP_DIR));
        assertThat(agent.getContainers().get(0).getSecurityContext()).isEqualTo(RestrictedSecurity.container());
    }

    @Test
    void scalingLeavesTheAgentsPodAsItIsItReachesEtcdThroughTheClientService() {
        EtcdCluster three = continuous();
        three.getSpec().setReplicas(3);
        EtcdCluster five = continuous();
        five.getSpec().setReplicas(5);
        var pod = BackupAgentDeployment.build(three, ToolCronJobTest.SETTINGS).getSpec().getTemplate();
        assertThat(BackupAgentDeployment.build(five, ToolCronJobTest.SETTINGS).getSpec().getTemplate()).as("3 -> 5: the same pod").isEqualTo(pod);
        assertThat(pod.getSpec().getContainers().get(0).getEnv()).filteredOn(e -> e.getName().equals(ToolEnv.ENDPOINTS)).singleElement()
                .satisfies(e -> assertThat(e.getValue()).isEqualTo("http://kv-client.storageos.svc.cluster.local:2379"));
    }

    @Test
    void withAClaimEveryBackupJobRunsOnTheAgentsNodeKeepingTheUsersPlacement() {
        EtcdCluster c = continuous();
        PodTemplateSpec template = new PodTemplateSpec();
        Affinity users = new AffinityBuilder().withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .addNewNodeSelectorTerm().addNewMatchExpression().withKey("pool").withOperator("In").withValues("etcd").endMatchExpression()
                .endNodeSelectorTerm().endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().build();
        template.setAffinity(users);
        c.getSpec().setPodTemplate(template);
        for (PodSpec job : new PodSpec[] {
                BackupCronJob.build(c, 3, ToolCronJobTest.SETTINGS).getSpec().getJobTemplate().getSpec().getTemplate().getSpec(),
                BackupCronJob.onDemandJob(c, 3, ToolCronJobTest.SETTINGS, "r1").getSpec().getTemplate().getSpec()}) {
            PodAffinityTerm term = job.getAffinity().getPodAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().get(0);
            assertThat(term.getTopologyKey()).isEqualTo("kubernetes.io/hostname");
            assertThat(term.getLabelSelector().getMatchLabels()).isEqualTo(
                    BackupAgentDeployment.build(c, ToolCronJobTest.SETTINGS).getSpec().getSelector().getMatchLabels());
            assertThat(job.getAffinity().getNodeAffinity()).isEqualTo(users.getNodeAffinity());
        }
        assertThat(users.getPodAffinity()).as("the spec's own affinity is not changed").isNull();
        assertThat(BackupAgentDeployment.build(c, ToolCronJobTest.SETTINGS).getSpec().getTemplate().getSpec().getAffinity())
                .as("the agent itself is placed like the members").isEqualTo(users);
    }

    @Test
    void anS3StoreOrNoAgentLeavesTheJobsPlacementAlone() {
        EtcdCluster s3 = continuous();
        s3.getSpec().getBackup().setPvc(null);
        S3DestinationSpec dest = new S3DestinationSpec();
        dest.setBucket("b");
        s3.getSpec().getBackup().setS3(dest);
        assertThat(BackupCronJob.build(s3, 3, ToolCronJobTest.SETTINGS).getSpec().getJobTemplate().getSpec().getTemplate().getSpec()
                .getAffinity()).isNull();
        assertThat(BackupCronJob.build(ToolCronJobTest.cluster(), 3, ToolCronJobTest.SETTINGS).getSpec().getJobTemplate().getSpec()
                .getTemplate().getSpec().getAffinity()).isNull();
    }
}
