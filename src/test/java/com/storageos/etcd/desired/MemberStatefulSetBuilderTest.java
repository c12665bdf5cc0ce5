package com.storageos.etcd.desired;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.spec.BackupSpec;
import com.storageos.etcd.api.v1alpha1.spec.BootstrapSpec;
import com.storageos.etcd.api.v1alpha1.spec.DefragSpec;
import com.storageos.etcd.api.v1alpha1.spec.EtcdTuningSpec;
import com.storageos.etcd.api.v1alpha1.spec.PodTemplateSpec;
import com.storageos.etcd.api.v1alpha1.spec.PvcDestinationSpec;
import com.storageos.etcd.api.v1alpha1.spec.RestoreSpec;
import com.storageos.etcd.api.v1alpha1.status.EtcdClusterStatus;
import com.storageos.etcd.api.v1alpha1.status.PendingChange;
import com.storageos.etcd.naming.DnsMemberAddressing;
import com.storageos.etcd.tls.CertificateAuthority;
import com.storageos.etcd.tls.TrustBundle;
import com.storageos.etcd.toolcontract.BootstrapToolEnv;
import com.storageos.etcd.toolcontract.MemberPaths;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    private static PodSpec pod(StatefulSet sts) {
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
    void aRestoreSourceIsMountedForTheBootstrapOnlyUntilTheClusterHasFormed() {
        EtcdCluster c = cluster();
        var restore = new RestoreSpec();
        restore.setPvc(new PvcDestinationSpec());
        restore.getPvc().setClaimName("etcd-backups");
        c.getSpec().setBootstrap(new BootstrapSpec());
        c.getSpec().getBootstrap().setRestore(restore);

        PodSpec seeding = pod(MemberStatefulSet.build(c, 1, SETTINGS, null));
        String seedingHash = templateHash(MemberStatefulSet.build(c, 1, SETTINGS, null));
        assertThat(seeding.getVolumes()).filteredOn(v -> v.getPersistentVolumeClaim() != null)
                .singleElement().satisfies(v -> assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("etcd-backups"));
        assertThat(seeding.getInitContainers().get(0).getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/backup"));
        assertThat(seeding.getContainers().get(0).getVolumeMounts()).noneSatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/backup"));

        c.setStatus(new EtcdClusterStatus());
        c.getStatus().setClusterId("cafe");
        PodSpec formed = pod(MemberStatefulSet.build(c, 3, SETTINGS, null));
        assertThat(formed.getVolumes()).as("later members must not wait for a ReadWriteOnce backup claim")
                .noneSatisfy(v -> assertThat(v.getPersistentVolumeClaim()).isNotNull());
        assertThat(templateHash(MemberStatefulSet.build(c, 3, SETTINGS, null))).as("the restore source going restarts no member")
                .isEqualTo(seedingHash);
    }

    /** A restore in place: spec.backup's store is mounted for the bootstrap while the RestoreFromBackup journal is open. */
    @Test
    void aRestoreInPlaceMountsTheBackupStoreOnlyWhileItsJournalIsOpenAndRestartsNoMemberForIt() {
        EtcdCluster c = cluster();
        var backup = new BackupSpec();
        backup.setPvc(new PvcDestinationSpec());
        backup.getPvc().setClaimName("etcd-backups");
        c.getSpec().setBackup(backup);
        c.setStatus(new EtcdClusterStatus());
        c.getStatus().setClusterId("cafe");
        String before = templateHash(MemberStatefulSet.build(c, 3, SETTINGS, null));

        var journal = new PendingChange();
        journal.setOperation("RestoreFromBackup");
        journal.setPhase("SeedFromBackup");
        c.getStatus().setPendingChange(journal);
        StatefulSet restoring = MemberStatefulSet.build(c, 3, SETTINGS, null);
        assertThat(pod(restoring).getVolumes()).anySatisfy(v -> assertThat(v.getName()).isEqualTo(RestoreSource.VOLUME));
        assertThat(pod(restoring).getInitContainers().get(0).getEnv())
                .anySatisfy(e -> assertThat(e.getName() + "=" + e.getValue()).isEqualTo("BACKUP_DIR=/backup/" + c.getMetadata().getName()));
        assertThat(templateHash(restoring)).isEqualTo(before);
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

    private static String templateHash(StatefulSet sts) {
        return sts.getSpec().getTemplate().getMetadata().getAnnotations().get(MemberTemplateHash.ANNOTATION);
    }

    @Test
    void anOperatorUpgradeThatChangesOnlyTheInitImageKeepsTheTemplateHashSoNoMemberRestarts() {
        RenderSettings upgraded = new RenderSettings("quay.io/storageos/etcd-operator:1.3.0", SETTINGS.etcdImageRepository(), SETTINGS.addressing(), List.of(), false);
        StatefulSet before = MemberStatefulSet.build(cluster(), 3, SETTINGS, null);
        StatefulSet after = MemberStatefulSet.build(cluster(), 3, upgraded, null);
        assertThat(pod(after).getInitContainers().get(0).getImage()).isEqualTo("quay.io/storageos/etcd-operator:1.3.0");
        assertThat(after.getSpec().getTemplate()).as("the StatefulSet's revision changes").isNotEqualTo(before.getSpec().getTemplate());
        assertThat(templateHash(after)).isNotBlank().isEqualTo(templateHash(before));
        assertThat(templateHash(MemberStatefulSet.build(cluster(), 5, SETTINGS, null))).as("replicas are not in the template").isEqualTo(templateHash(before));
    }

    @Test
    void everyChangeThatReachesEtcdChangesTheTemplateHash() {
        String base = templateHash(MemberStatefulSet.build(cluster(), 3, SETTINGS, null));
        EtcdCluster flags = cluster();
        flags.getSpec().setEtcd(new EtcdTuningSpec());
        flags.getSpec().getEtcd().setExtraArgs(Map.of("log-level", "warn"));
        EtcdCluster tuning = cluster();
        tuning.getSpec().setEtcd(new EtcdTuningSpec());
        tuning.getSpec().getEtcd().setSnapshotCount(5000L);
        EtcdCluster resources = cluster();
        resources.getSpec().setResources(new ResourceRequirementsBuilder()
                .addToRequests("cpu", new Quantity("100m")).build());
        EtcdCluster version = cluster();
        version.getSpec().setVersion("3.5.18");
        for (EtcdCluster changed : new EtcdCluster[] {flags, tuning, resources, version}) {
            assertThat(templateHash(MemberStatefulSet.build(changed, 3, SETTINGS, null))).isNotEqualTo(base);
        }
        assertThat(templateHash(MemberStatefulSet.build(cluster(), 3, SETTINGS, null))).as("stable for the same spec").isEqualTo(base);
    }

    /** etcd reads trusted-ca-file only at start: a CA added to or dropped from the members' bundle must roll them. */
    @Test
    void aChangeOfTheTrustedCasChangesTheTemplateHash() {
        Instant now = Instant.now();
        String oldCa = CertificateAuthority.create("old", now, Duration.ofDays(1)).certificatePem();
        String newCa = CertificateAuthority.create("new", now, Duration.ofDays(1)).certificatePem();
        String before = TrustBundle.hash(List.of(oldCa));
        String bundle = TrustBundle.hash(List.of(oldCa + newCa));
        String after = TrustBundle.hash(List.of(newCa));
        assertThat(List.of(before, bundle, after)).doesNotHaveDuplicates();
        assertThat(TrustBundle.hash(List.of(newCa + "\n", oldCa, oldCa))).as("order, repeats and spacing do not count")
                .isEqualTo(bundle);
        StatefulSet sts = MemberStatefulSet.build(cluster(), 3, SETTINGS, before);
        assertThat(sts.getSpec().getTemplate().getMetadata().getAnnotations()).containsEntry(MemberStatefulSet.TRUST_BUNDLE_ANNOTATION, before);
        assertThat(templateHash(MemberStatefulSet.build(cluster(), 3, SETTINGS, bundle))).isNotEqualTo(templateHash(sts));
        assertThat(templateHash(MemberStatefulSet.build(cluster(), 3, SETTINGS, before))).isEqualTo(templateHash(sts));
    }
}
