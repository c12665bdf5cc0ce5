package com.storageos.etcd.desired;

import static com.storageos.etcd.desired.MemberStatefulSetBuilderTest.SETTINGS;
import static com.storageos.etcd.desired.MemberStatefulSetBuilderTest.cluster;
import static com.storageos.etcd.desired.MemberStatefulSetBuilderTest.pod;
import static com.storageos.etcd.desired.MemberStatefulSetBuilderTest.templateHash;
import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.spec.EtcdTuningSpec;
import com.storageos.etcd.tls.CertificateAuthority;
import com.storageos.etcd.tls.TrustBundle;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The member template's hash, which restarts members when it changes: what changes it and what does not. */
class MemberTemplateHashTest {
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
