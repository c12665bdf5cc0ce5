package com.storageos.etcd.desired;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.spec.DefragSpec;
import com.storageos.etcd.api.v1alpha1.spec.PodTemplateSpec;
import com.storageos.etcd.naming.DnsMemberAddressing;
import com.storageos.etcd.toolcontract.BootstrapToolEnv;
import com.storageos.etcd.toolcontract.MemberPaths;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MemberStatefulSetBuilderTest {
    static final RenderSettings SETTINGS = new RenderSettings("quay.io/storageos/etcd-operator:1.2.3", "gcr.io/etcd-development/etcd",
            new DnsMemberAddressing("cluster.local"), List.of(), false);

    static EtcdCluster cluster() {
        EtcdCluster c = new EtcdCluster();
        c.setMetadata(new ObjectMetaBuilder().withName("etcd").withNamespace("storageos").withUid("uid-1").build());
        return c;
    }

    static PodSpec pod(StatefulSet sts) {
        return sts.getSpec().getTemplate().getSpec();
    }

    @Test
    void etcdRequestsCpuAndMemoryByDefaultWithoutLimits() {
        Container etcd = pod(MemberStatefulSet.build(cluster(), 3, SETTINGS, null)).getContainers().get(0);

        assertThat(etcd.getResources().getRequests()).containsEntry("cpu", new Quantity("100m")).containsEntry("memory", new Quantity("256Mi"));
        assertThat(etcd.getResources().getLimits()).isNullOrEmpty();
    }

    @Test
    void statefulSetShape() {
        StatefulSet sts = MemberStatefulSet.build(cluster(), 2, SETTINGS, null);
        assertThat(sts.getSpec().getReplicas()).as("replicas come from the caller, not spec.replicas (3)").isEqualTo(2);
        assertThat(sts.getSpec().getUpdateStrategy().getType()).isEqualTo("OnDelete");
        assertThat(sts.getSpec().getPodManagementPolicy()).isEqualTo("Parallel");
        assertThat(sts.getSpec().getServiceName()).isEqualTo("etcd-peer");
        assertThat(sts.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> assertThat(o.getUid()).isEqualTo("uid-1"));
    }

    @Test
    void volumeClaimTemplateTakesSizeAndClass() {
        EtcdCluster c = cluster();
        c.getSpec().getStorage().setSize("20Gi");
        c.getSpec().getStorage().setStorageClassName("fast");
        var claim = MemberStatefulSet.build(c, 1, SETTINGS, null).getSpec().getVolumeClaimTemplates().get(0);
        assertThat(claim.getMetadata().getName()).isEqualTo("data");
        assertThat(claim.getSpec().getResources().getRequests().get("storage").toString()).isEqualTo("20Gi");
        assertThat(claim.getSpec().getStorageClassName()).isEqualTo("fast");
    }

    @Test
    void defaultAffinityPrefersDistinctNodesAndAUserAffinityReplacesIt() {
        var anti = pod(MemberStatefulSet.build(cluster(), 1, SETTINGS, null)).getAffinity().getPodAntiAffinity();
        assertThat(anti.getRequiredDuringSchedulingIgnoredDuringExecution()).isNullOrEmpty();
        assertThat(anti.getPreferredDuringSchedulingIgnoredDuringExecution()).singleElement()
                .satisfies(t -> assertThat(t.getPodAffinityTerm().getTopologyKey()).isEqualTo("kubernetes.io/hostname"));

        EtcdCluster c = cluster();
        PodTemplateSpec template = new PodTemplateSpec();
        template.setAffinity(new AffinityBuilder().withNewNodeAffinity().endNodeAffinity().build());
        c.getSpec().setPodTemplate(template);
        assertThat(pod(MemberStatefulSet.build(c, 1, SETTINGS, null)).getAffinity()).isEqualTo(template.getAffinity());
    }

    @Test
    void restrictedSecurityAndNoServiceLinks() {
        PodSpec pod = pod(MemberStatefulSet.build(cluster(), 1, SETTINGS, null));
        assertThat(pod.getEnableServiceLinks()).isFalse();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(pod.getServiceAccountName()).isEqualTo("etcd-member");
        for (Container c : concat(pod)) {
            SecurityContext sc = c.getSecurityContext();
            assertThat(sc.getRunAsNonRoot()).as(c.getName()).isTrue();
            assertThat(sc.getReadOnlyRootFilesystem()).as(c.getName()).isTrue();
            assertThat(sc.getAllowPrivilegeEscalation()).as(c.getName()).isFalse();
            assertThat(sc.getCapabilities().getDrop()).as(c.getName()).containsExactly("ALL");
            assertThat(sc.getSeccompProfile().getType()).as(c.getName()).isEqualTo("RuntimeDefault");
        }
    }

    @Test
    void initContainerRunsTheBootstrapToolWithTheOperatorImage() {
        Container init = pod(MemberStatefulSet.build(cluster(), 1, SETTINGS, null)).getInitContainers().get(0);
        assertThat(init.getImage()).isEqualTo("quay.io/storageos/etcd-operator:1.2.3");
        assertThat(init.getArgs()).containsExactly("tool", "bootstrap");
        assertThat(init.getEnv()).extracting(EnvVar::getName).contains(BootstrapToolEnv.POD_NAME, BootstrapToolEnv.POD_NAMESPACE,
                BootstrapToolEnv.CLUSTER_NAME, BootstrapToolEnv.CONFIG_TEMPLATE);
        assertThat(init.getEnv()).filteredOn(e -> e.getName().equals(BootstrapToolEnv.POD_NAME)).singleElement()
                .satisfies(e -> assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name"));
        assertThat(init.getEnv()).filteredOn(e -> e.getName().equals(BootstrapToolEnv.CONFIG_TEMPLATE)).singleElement()
                .satisfies(e -> assertThat(e.getValue()).contains("\"quota-backend-bytes\":8589934592").contains("{ordinal}"));
    }

    @Test
    void etcdContainerReadsTheConfigFileAndProbesTheMetricsPort() {
        Container etcd = pod(MemberStatefulSet.build(cluster(), 1, SETTINGS, null)).getContainers().get(0);
        assertThat(etcd.getCommand()).containsExactly("/usr/local/bin/etcd", "--config-file=" + MemberPaths.CONFIG_FILE);
        assertThat(etcd.getImage()).isEqualTo("gcr.io/etcd-development/etcd:v3.5.30");
        for (var probe : List.of(etcd.getReadinessProbe(), etcd.getLivenessProbe(), etcd.getStartupProbe())) {
            assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("metrics");
        }
        assertThat(etcd.getPorts()).anySatisfy(p -> {
            assertThat(p.getName()).isEqualTo("metrics");
            assertThat(p.getContainerPort()).isEqualTo(MemberPaths.METRICS_PORT);
        });
        assertThat(etcd.getLivenessProbe().getHttpGet().getPath()).as("losing quorum must not restart every member").contains("serializable=true");
    }

    /** What each release's /health honours, read from etcd's sources and measured on Debian's 3.4.23 (NospaceEtcdIT). */
    @ParameterizedTest
    @CsvSource({
            "3.4.0,  /health,                 /metrics",
            "3.4.15, /health,                 /metrics",
            "3.4.16, /health?exclude=NOSPACE, /metrics",
            "3.4.23, /health?exclude=NOSPACE, /metrics",
            "3.4.29, /health?exclude=NOSPACE, /health?exclude=NOSPACE&exclude=CORRUPT&serializable=true",
            "3.5.2,  /health?exclude=NOSPACE, /metrics",
            "3.5.3,  /health?exclude=NOSPACE, /health?exclude=NOSPACE&exclude=CORRUPT&serializable=true",
            "3.5.17, /health?exclude=NOSPACE, /health?exclude=NOSPACE&exclude=CORRUPT&serializable=true",
            "3.6.0,  /health?exclude=NOSPACE, /health?exclude=NOSPACE&exclude=CORRUPT&serializable=true"})
    void probesNeverFailForAnAlarmAndLivenessNeverNeedsQuorum(String version, String readiness, String liveness) {
        EtcdCluster c = cluster();
        c.getSpec().setVersion(version);
        Container etcd = pod(MemberStatefulSet.build(c, 1, SETTINGS, null)).getContainers().get(0);
        assertThat(etcd.getReadinessProbe().getHttpGet().getPath()).isEqualTo(readiness);
        assertThat(etcd.getLivenessProbe().getHttpGet().getPath()).isEqualTo(liveness);
        assertThat(etcd.getStartupProbe().getHttpGet().getPath()).as("a restarted member must survive NOSPACE too").isEqualTo(liveness);
    }

    /**
     * A member under defrag answers no health path that reads its backend (DefragDurationBenchmark), so the kubelet's
     * liveness failures must outlast the defrag tool's timeout, or it kills the member the tool still waits for.
     */
    @ParameterizedTest
    @CsvSource({"3.5.30, 300", "3.5.30, 45", "3.5.30, 1800", "3.4.23, 300"})
    void livenessOutlastsTheLongestDefragTheToolAllows(String version, int timeoutSeconds) {
        EtcdCluster c = cluster();
        c.getSpec().setVersion(version);
        c.getSpec().setDefrag(new DefragSpec());
        c.getSpec().getDefrag().setSchedule("0 3 * * *");
        c.getSpec().getDefrag().setTimeoutSeconds(timeoutSeconds);
        var liveness = pod(MemberStatefulSet.build(c, 1, SETTINGS, null)).getContainers().get(0).getLivenessProbe();
        // The first failure may come from a probe sent up to its timeout before the defrag; the kill comes with the last.
        int failingSpan = (liveness.getFailureThreshold() - 1) * liveness.getPeriodSeconds();
        assertThat(failingSpan).as("seconds of failed liveness probes before a restart").isGreaterThan(timeoutSeconds)
                .isGreaterThanOrEqualTo(50);
        assertThat(failingSpan).as("and no longer than needed").isLessThanOrEqualTo(Math.max(50, timeoutSeconds + 2 * liveness.getPeriodSeconds()));
    }

    @Test
    void withoutSpecDefragLivenessOutlastsTheDefaultTimeout() {
        var liveness = pod(MemberStatefulSet.build(cluster(), 1, SETTINGS, null)).getContainers().get(0).getLivenessProbe();
        assertThat((liveness.getFailureThreshold() - 1) * liveness.getPeriodSeconds())
                .as("enabling spec.defrag with its default timeout restarts no member").isGreaterThan(300);
    }

    @Test
    void specImageOverridesTheUpstreamImage() {
        EtcdCluster c = cluster();
        c.getSpec().setImage("registry.example/etcd:custom");
        assertThat(pod(MemberStatefulSet.build(c, 1, SETTINGS, null)).getContainers().get(0).getImage()).isEqualTo("registry.example/etcd:custom");
    }

    private static List<Container> concat(PodSpec pod) {
        List<Container> all = new ArrayList<>(pod.getInitContainers());
        all.addAll(pod.getContainers());
        return all;
    }

    static String templateHash(StatefulSet sts) {
        return sts.getSpec().getTemplate().getMetadata().getAnnotations().get(MemberTemplateHash.ANNOTATION);
    }
}
