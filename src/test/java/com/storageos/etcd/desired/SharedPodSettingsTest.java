package com.storageos.etcd.desired;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.spec.PodTemplateSpec;
import com.storageos.etcd.naming.DnsMemberAddressing;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Member pods and tool pods (backup, defrag, a backup-now Job) pull, run and schedule alike. */
class SharedPodSettingsTest {
    static final RenderSettings PRIVATE_REGISTRY = new RenderSettings("mirror.corp:5000/storageos/etcd-operator:1.0",
            "mirror.corp:5000/etcd-development/etcd", new DnsMemberAddressing("cluster.local"), List.of("regcred"), false);

    private static List<PodSpec> everyPod(EtcdCluster cluster, RenderSettings settings) {
        return List.of(MemberStatefulSet.build(cluster, 3, settings, null).getSpec().getTemplate().getSpec(),
                BackupCronJob.build(cluster, 3, settings).getSpec().getJobTemplate().getSpec().getTemplate().getSpec(),
                BackupCronJob.onDemandJob(cluster, 3, settings, "now").getSpec().getTemplate().getSpec(),
                DefragCronJob.build(cluster, 3, settings).getSpec().getJobTemplate().getSpec().getTemplate().getSpec());
    }

    @Test
    void everyPodCarriesTheOperatorsPullSecretsThenTheClustersOwn() {
        EtcdCluster cluster = ToolCronJobTest.cluster();
        cluster.getSpec().setPodTemplate(new PodTemplateSpec());
        cluster.getSpec().getPodTemplate().setImagePullSecrets(List.of(new LocalObjectReference("team-registry"),
                new LocalObjectReference("regcred")));

        assertThat(everyPod(cluster, PRIVATE_REGISTRY)).hasSize(4).allSatisfy(pod -> assertThat(pod.getImagePullSecrets())
                .extracting(LocalObjectReference::getName).containsExactly("regcred", "team-registry"));
        assertThat(everyPod(ToolCronJobTest.cluster(), ToolCronJobTest.SETTINGS))
                .allSatisfy(pod -> assertThat(pod.getImagePullSecrets()).as("none asked for, none set").isNullOrEmpty());
    }

    @Test
    void pullSecretsDoNotRestartTheMembers() {
        EtcdCluster cluster = ToolCronJobTest.cluster();
        String without = MemberStatefulSet.build(cluster, 3, ToolCronJobTest.SETTINGS, null).getSpec().getTemplate()
                .getMetadata().getAnnotations().get(MemberTemplateHash.ANNOTATION);
        RenderSettings withSecrets = new RenderSettings(ToolCronJobTest.SETTINGS.operatorImage(),
                ToolCronJobTest.SETTINGS.etcdImageRepository(), ToolCronJobTest.SETTINGS.addressing(), List.of("regcred"), false);

        assertThat(MemberStatefulSet.build(cluster, 3, withSecrets, null).getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry(MemberTemplateHash.ANNOTATION, without);
    }

    @Test
    void toolPodsScheduleWhereTheMembersDo() {
        EtcdCluster cluster = ToolCronJobTest.cluster();
        PodTemplateSpec template = new PodTemplateSpec();
        template.setNodeSelector(Map.of("node-role/etcd", "true"));
        template.setTolerations(List.of(new TolerationBuilder().withKey("dedicated").withValue("etcd").withEffect("NoSchedule").build()));
        template.setAffinity(new AffinityBuilder().withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .addNewNodeSelectorTerm().addNewMatchExpression().withKey("zone").withOperator("In").withValues("a").endMatchExpression()
                .endNodeSelectorTerm().endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().build());
        template.setPriorityClassName("storage-critical");
        cluster.getSpec().setPodTemplate(template);

        assertThat(everyPod(cluster, ToolCronJobTest.SETTINGS)).allSatisfy(pod -> {
            assertThat(pod.getNodeSelector()).isEqualTo(template.getNodeSelector());
            assertThat(pod.getTolerations()).isEqualTo(template.getTolerations());
            assertThat(pod.getAffinity()).isEqualTo(template.getAffinity());
            assertThat(pod.getPriorityClassName()).isEqualTo("storage-critical");
        });
        PodSpec defaultTool = DefragCronJob.build(ToolCronJobTest.cluster(), 3, ToolCronJobTest.SETTINGS)
                .getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
        assertThat(defaultTool.getAffinity()).as("the members' spread among themselves is not the tools'").isNull();
    }

    @Test
    void whereThePlatformAssignsTheUserNoPodNamesOne() {
        RenderSettings openshift = new RenderSettings("op:1", "etcd", new DnsMemberAddressing("cluster.local"), List.of(), true);

        assertThat(everyPod(ToolCronJobTest.cluster(), openshift)).allSatisfy(pod -> {
            assertThat(pod.getSecurityContext().getRunAsUser()).isNull();
            assertThat(pod.getSecurityContext().getRunAsGroup()).isNull();
            assertThat(pod.getSecurityContext().getFsGroup()).isNull();
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
            assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        });
        assertThat(everyPod(ToolCronJobTest.cluster(), ToolCronJobTest.SETTINGS))
                .allSatisfy(pod -> assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(RestrictedSecurity.USER));
    }

    @Test
    void toolPodsTakeTheClustersSecurityContextAndTheirOwnResources() {
        EtcdCluster cluster = ToolCronJobTest.cluster();
        cluster.getSpec().setPodTemplate(new PodTemplateSpec());
        cluster.getSpec().getPodTemplate().setSecurityContext(new PodSecurityContextBuilder().withRunAsNonRoot(true).build());
        cluster.getSpec().getBackup().setResources(new ResourceRequirementsBuilder()
                .addToRequests("memory", new Quantity("300Mi")).addToLimits("memory", new Quantity("1Gi")).build());

        assertThat(everyPod(cluster, ToolCronJobTest.SETTINGS))
                .allSatisfy(pod -> assertThat(pod.getSecurityContext()).isEqualTo(cluster.getSpec().getPodTemplate().getSecurityContext()));
        assertThat(everyPod(cluster, ToolCronJobTest.SETTINGS).get(1).getContainers().get(0).getResources().getLimits())
                .containsEntry("memory", new Quantity("1Gi"));
        assertThat(everyPod(cluster, ToolCronJobTest.SETTINGS).get(3).getContainers().get(0).getResources().getLimits())
                .as("defrag keeps the default").containsEntry("memory", new Quantity("512Mi"));
    }
}
