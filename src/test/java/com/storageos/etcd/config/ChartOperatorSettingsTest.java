package com.storageos.etcd.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.spec.TlsEndpointSpec;
import com.storageos.etcd.api.v1alpha1.spec.TlsSpec;
import com.storageos.etcd.desired.MemberStatefulSet;
import com.storageos.etcd.desired.RenderSettings;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.naming.MemberAddressing;
import com.storageos.etcd.packaging.HelmChart;
import com.storageos.etcd.tls.CertificateAuthority;
import com.storageos.etcd.tls.CertificateCheck;
import com.storageos.etcd.tls.CertificateRequest;
import com.storageos.etcd.tls.IssuedCertificate;
import com.storageos.etcd.toolcontract.BootstrapToolEnv;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The chart's values reach what the operator builds: the chart is rendered, its Deployment's environment read the way
 * the operator reads its own ({@link OperatorConfig}), and the operator's beans build members from it.
 */
class ChartOperatorSettingsTest {
    private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

    private static OperatorConfig configFrom(HelmChart chart) {
        List<HasMetadata> objects = new KubernetesSerialization()
                .unmarshal(new ByteArrayInputStream(chart.renderText().getBytes(StandardCharsets.UTF_8)));
        Container operator = objects.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast).findFirst()
                .orElseThrow().getSpec().getTemplate().getSpec().getContainers().get(0);
        Map<String, String> env = new LinkedHashMap<>();
        operator.getEnv().stream().filter(e -> e.getValue() != null).forEach(e -> env.put(e.getName(), e.getValue()));
        // Durations as Quarkus reads them ("5s"), as in the operator.
        return new SmallRyeConfigBuilder().withMapping(OperatorConfig.class).withSources(new EnvConfigSource(env, 300))
                .withConverter(Duration.class, 100, new DurationConverter()).build().getConfigMapping(OperatorConfig.class);
    }

    private static EtcdCluster tlsCluster() {
        EtcdCluster cluster = new EtcdCluster();
        cluster.setMetadata(new ObjectMetaBuilder().withName("kv").withNamespace("storageos").withUid("u1").build());
        TlsSpec tls = new TlsSpec();
        tls.setPeer(new TlsEndpointSpec());
        cluster.getSpec().setTls(tls);
        return cluster;
    }

    @Test
    void aClusterDomainReachesThePeerUrlsAndTheNamesTheCertificatesCover() {
        OperatorConfig config = configFrom(HelmChart.withDefaults().set("clusterDomain", "corp.example"));
        OperatorBeans beans = new OperatorBeans();
        MemberAddressing addressing = beans.addressing(config);
        RenderSettings settings = beans.renderSettings(config, addressing);
        ClusterNames names = new ClusterNames("kv", "storageos");

        Container bootstrap = MemberStatefulSet.build(tlsCluster(), 3, settings, null).getSpec().getTemplate().getSpec()
                .getInitContainers().get(0);
        assertThat(bootstrap.getEnv()).filteredOn(e -> e.getName().equals(BootstrapToolEnv.CONFIG_TEMPLATE))
                .singleElement().extracting(EnvVar::getValue).asString()
                .contains("https://kv-{ordinal}.kv-peer.storageos.svc.corp.example:2380")
                .doesNotContain("cluster.local");

        // A member certificate issued for the names the operator asks for is valid for the host etcd advertises.
        CertificateAuthority ca = CertificateAuthority.create("kv-ca", NOW, Duration.ofDays(365));
        List<String> hosts = addressing.certificateHosts(names);
        IssuedCertificate member = ca.issue(new CertificateRequest("kv-peer", hosts.stream().filter(h -> !h.matches("[0-9.]+")).toList(),
                List.of("127.0.0.1"), true, true, Duration.ofDays(90)), NOW, ca.certificatePem());
        assertThat(CertificateCheck.problems(member.caPem(), member.certificatePem(), member.privateKeyPem(),
                List.of(addressing.memberHost(names, 2), "kv-client.storageos.svc.corp.example"), true, true, NOW)).isEmpty();
        assertThat(addressing.clientServiceAddress(names)).isEqualTo("kv-client.storageos.svc.corp.example:2379");
    }

    @Test
    void withoutValuesTheDomainIsClusterLocal() {
        OperatorConfig config = configFrom(HelmChart.withDefaults());

        assertThat(config.clusterDomain()).isEqualTo("cluster.local");
        assertThat(config.imagePullSecrets()).isEmpty();
        assertThat(config.platformAssignsUser()).isFalse();
        assertThat(config.leaseName()).isEqualTo("etcd-operator-leader");
    }

    @Test
    void aRegistryPullSecretsADigestAndOpenShiftReachTheMembers() {
        HelmChart chart = HelmChart.withDefaults().set("imageRegistry", "mirror.corp:5000")
                .set("image.digest", "sha256:" + "ab".repeat(32))
                .set("imagePullSecrets[0].name", "regcred").set("imagePullSecrets[1].name", "mirror")
                .set("openshift.enabled", true);
        OperatorConfig config = configFrom(chart);
        OperatorBeans beans = new OperatorBeans();
        RenderSettings settings = beans.renderSettings(config, beans.addressing(config));

        var pod = MemberStatefulSet.build(tlsCluster(), 3, settings, null).getSpec().getTemplate().getSpec();
        assertThat(pod.getInitContainers().get(0).getImage())
                .isEqualTo("mirror.corp:5000/storageos/etcd-operator:0.1.0@sha256:" + "ab".repeat(32));
        assertThat(pod.getContainers().get(0).getImage()).isEqualTo("mirror.corp:5000/etcd-development/etcd:v3.5.30");
        assertThat(pod.getImagePullSecrets()).extracting(r -> r.getName()).containsExactly("regcred", "mirror");
        assertThat(pod.getSecurityContext().getRunAsUser()).isNull();
        assertThat(pod.getSecurityContext().getFsGroup()).isNull();
    }
}
