package com.storageos.etcd.reconciler.etcdcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.desired.TlsSecret;
import com.storageos.etcd.status.Conditions;
import com.storageos.etcd.testing.FreshPorts;
import com.storageos.etcd.testing.kube.OperatorInstall;
import com.storageos.etcd.tls.CertificateAuthority;
import com.storageos.etcd.tls.CertificateCheck;
import com.storageos.etcd.tls.CertificateRequest;
import com.storageos.etcd.tls.IssuedCertificate;
import com.storageos.etcd.tls.Pem;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The cluster's certificates, generated, the user's, cert-manager's and the join's, checked before use (see OperatorOnApiServer). */
class ClusterCertificatesApiServerTest extends OperatorOnApiServer {
    @Test
    void generatedTlsIsIssuedBeforeAnyPodCanMountIt() throws Exception {
        String ns = namespace("tls-generated");
        create(ns, """
                metadata: {name: tls-etcd}
                spec:
                  tls: {peer: {}, client: {}}
                """);

        await().atMost(WAIT).untilAsserted(() -> assertThat(client.apps().statefulSets().inNamespace(ns).withName("tls-etcd").get()).isNotNull());
        Secret ca = client.secrets().inNamespace(ns).withName("tls-etcd-tls-ca").get();
        String caPem = TlsSecret.text(ca, "ca.crt");
        List<String> members = List.of("tls-etcd-0.tls-etcd-peer." + ns + ".svc.cluster.local", "tls-etcd-8.tls-etcd-peer." + ns + ".svc.cluster.local",
                "tls-etcd-client." + ns + ".svc");
        for (String name : List.of("tls-etcd-tls-peer", "tls-etcd-tls-server", "tls-etcd-tls-client")) {
            Secret leaf = client.secrets().inNamespace(ns).withName(name).get();
            assertThat(leaf.getType()).isEqualTo("kubernetes.io/tls");
            assertThat(leaf.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> assertThat(o.getKind()).isEqualTo("EtcdCluster"));
            boolean member = !name.endsWith("client");
            assertThat(CertificateCheck.problems(caPem, TlsSecret.text(leaf, "tls.crt"), TlsSecret.text(leaf, "tls.key"),
                    member ? members : List.of(), name.endsWith("server") || name.endsWith("peer"), !name.endsWith("server"), Instant.now()))
                    .as("%s signed by the cluster CA, for every ordinal and the client Service", name).isEmpty();
        }
        PodSpec pod = client.apps().statefulSets().inNamespace(ns).withName("tls-etcd").get().getSpec().getTemplate().getSpec();
        assertThat(pod.getVolumes()).extracting(v -> v.getSecret() == null ? null : v.getSecret().getSecretName())
                .contains("tls-etcd-tls-peer", "tls-etcd-tls-server").doesNotContain("tls-etcd-tls-ca", "tls-etcd-tls-client");
        assertThat(pod.getContainers().get(0).getVolumeMounts()).extracting(VolumeMount::getMountPath).contains("/etc/etcd/tls/peer", "/etc/etcd/tls/server");
        String template = pod.getInitContainers().get(0).getEnv().stream().filter(e -> e.getName().equals("ETCD_CONFIG_TEMPLATE"))
                .findFirst().orElseThrow().getValue();
        assertThat(template).contains("\"advertise-client-urls\":\"https://", "\"initial-advertise-peer-urls\":\"https://",
                "client-transport-security", "peer-transport-security", "\"client-cert-auth\":true", "\"listen-metrics-urls\":\"http://");

        // The status says when each certificate expires, as the Secret holds it, and when the operator renews it.
        await().atMost(WAIT).untilAsserted(() -> assertThat(cluster(ns, "tls-etcd").getStatus().getTls()).isNotNull());
        Map<String, String> expiries = new TreeMap<>();
        Map<String, String> secrets = new TreeMap<>();
        for (var certificate : cluster(ns, "tls-etcd").getStatus().getTls().getCertificates()) {
            expiries.put(certificate.getName(), certificate.getNotAfter());
            secrets.put(certificate.getName(), certificate.getSecret());
            // Every one of them, the CA too: the operator replaces its own CA at its renewAfter (a CA rotation).
            assertThat(certificate.getRenewAfter()).as("%s renewed by the operator", certificate.getName()).isNotNull();
        }
        assertThat(secrets).isEqualTo(Map.of("ca", "tls-etcd-tls-ca", "peer", "tls-etcd-tls-peer", "server", "tls-etcd-tls-server",
                "client", "tls-etcd-tls-client"));
        secrets.forEach((name, secret) -> {
            String pem = TlsSecret.text(client.secrets().inNamespace(ns).withName(secret).get(), name.equals("ca") ? "ca.crt" : "tls.crt");
            assertThat(expiries.get(name)).as("notAfter of %s", name)
                    .isEqualTo(Pem.certificates(pem).get(0).getNotAfter().toInstant().toString());
        });

        String issued = TlsSecret.text(client.secrets().inNamespace(ns).withName("tls-etcd-tls-server").get(), "tls.crt");
        client.resources(EtcdCluster.class).inNamespace(ns).withName("tls-etcd")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"annotations\":{\"test/touch\":\"1\"}}}");
        Thread.sleep(3000);
        assertThat(TlsSecret.text(client.secrets().inNamespace(ns).withName("tls-etcd-tls-server").get(), "tls.crt"))
                .as("a valid certificate is kept across reconciles").isEqualTo(issued);
        assertNothingRefusedIn(ns);
    }

    @Test
    void usersTlsSecretsAreCheckedAndNothingStartsOnAWrongOne() {
        String ns = namespace("tls-own");
        create(ns, """
                metadata: {name: own}
                spec:
                  replicas: 3
                  tls: {client: {secretName: own-server, clientSecretName: own-client}}
                """);
        await().atMost(WAIT).untilAsserted(() -> assertThat(degraded(ns, "own")).isEqualTo("TlsNotUsable: Secret own-server not found; Secret own-client not found"));

        Instant now = Instant.now();
        CertificateAuthority authority = CertificateAuthority.create("users-ca", now, Duration.ofDays(30));
        String bundle = authority.certificatePem();
        String host0 = "own-0.own-peer." + ns + ".svc.cluster.local";
        IssuedCertificate narrow = authority.issue(new CertificateRequest("own", List.of(host0), List.of(), true, false, Duration.ofDays(1)), now, bundle);
        IssuedCertificate clientCert = authority.issue(CertificateRequest.clientOnly("storageos", Duration.ofDays(1)), now, bundle);
        client.secrets().inNamespace(ns).resource(secret("own-server", bundle, narrow)).create();
        client.secrets().inNamespace(ns).resource(secret("own-client", bundle, clientCert)).create();
        await().atMost(WAIT).untilAsserted(() -> assertThat(degraded(ns, "own")).isEqualTo("TlsNotUsable: Secret own-server: tls.crt does not cover "
                + "own-1.own-peer." + ns + ".svc.cluster.local, own-2.own-peer." + ns + ".svc.cluster.local, own-client." + ns + ".svc.cluster.local"));
        assertThat(client.apps().statefulSets().inNamespace(ns).withName("own").get()).as("no member on a certificate etcd would serve wrongly").isNull();
        assertThat(client.services().inNamespace(ns).list().getItems()).isEmpty();

        IssuedCertificate wide = authority.issue(new CertificateRequest("own", List.of("*.own-peer." + ns + ".svc.cluster.local",
                "own-client." + ns + ".svc.cluster.local"), List.of(), true, false, Duration.ofDays(1)), now, bundle);
        client.secrets().inNamespace(ns).resource(secret("own-server", bundle, wide)).update();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(client.apps().statefulSets().inNamespace(ns).withName("own").get()).isNotNull());
        assertThat(client.secrets().inNamespace(ns).withName("own-tls-ca").get()).as("the user's certificates are not replaced by generated ones").isNull();
        await().atMost(WAIT).untilAsserted(() -> assertThat(cluster(ns, "own").getStatus().getTls().getCertificates())
                .extracting(c -> c.getName() + " " + c.getSecret() + " " + c.getNotAfter() + " " + c.getRenewAfter())
                .containsExactly("ca own-server " + authority.certificate().getNotAfter().toInstant() + " null",
                        "server own-server " + wide.notAfter() + " null", "client own-client " + clientCert.notAfter() + " null"));
        assertNothingRefusedIn(ns);
    }

    @Test
    void theJoinTlsSecretIsCheckedBeforeAnyCallToTheExternalCluster() {
        String ns = namespace("join-tls");
        String endpoint = "https://127.0.0.1:" + FreshPorts.take();
        create(ns, """
                metadata: {name: mig}
                spec:
                  replicas: 3
                  bootstrap: {join: {endpoints: ["%s"], tls: {secretName: external-client}}}
                """.formatted(endpoint));
        await().atMost(WAIT).untilAsserted(() -> assertThat(degraded(ns, "mig"))
                .isEqualTo("MigrationTlsNotUsable: spec.bootstrap.join.tls Secret external-client not found; nothing was changed"));
        assertThat(client.apps().statefulSets().inNamespace(ns).withName("mig").get()).isNull();
        assertThat(client.services().inNamespace(ns).list().getItems()).as("nothing touched").isEmpty();

        Instant now = Instant.now();
        CertificateAuthority external = CertificateAuthority.create("external-etcd-ca", now, Duration.ofDays(30));
        IssuedCertificate expired = external.issue(CertificateRequest.clientOnly("etcd-operator", Duration.ofSeconds(1)),
                now.minus(Duration.ofMinutes(5)), external.certificatePem());
        client.secrets().inNamespace(ns).resource(secret("external-client", external.certificatePem(), expired)).create();
        await().atMost(WAIT).untilAsserted(() -> assertThat(degraded(ns, "mig"))
                .startsWith("MigrationTlsNotUsable: spec.bootstrap.join.tls Secret external-client: tls.crt expired at ").endsWith("; nothing was changed"));
        assertThat(cluster(ns, "mig").getStatus().getMigration()).as("no plan, no call").isNull();

        // A usable certificate: the operator connects with it and finds nothing listening there, the ordinary pre-check refusal.
        IssuedCertificate valid = external.issue(CertificateRequest.clientOnly("etcd-operator", Duration.ofDays(1)), now, external.certificatePem());
        client.secrets().inNamespace(ns).resource(secret("external-client", external.certificatePem(), valid)).update();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(degraded(ns, "mig"))
                .isEqualTo("MigrationRefused: no endpoint of spec.bootstrap.join answered the member list; nothing was changed"));
        assertThat(client.apps().statefulSets().inNamespace(ns).withName("mig").get().getSpec().getReplicas()).as("no pod before approval").isZero();
        assertNothingRefusedIn(ns);
    }

    @Test
    void certManagerIsAskedForTheCertificatesAndItsSecretsAreCheckedBeforeUse_theTestStandsInForItsIssuer() {
        String ns = namespace("tls-cert-manager");
        create(ns, """
                metadata: {name: cm}
                spec:
                  tls: {peer: {}, client: {}, certManager: {issuerName: storageos-ca, issuerKind: ClusterIssuer}}
                """);
        await().atMost(WAIT).untilAsserted(() -> assertThat(degraded(ns, "cm")).startsWith("TlsNotUsable: cert-manager is not installed"));

        OperatorInstall.applyCrd(plane, Path.of("src", "test", "resources", "certmanager", "certificate-crd.yaml"));
        var certificates = client.genericKubernetesResources(new ResourceDefinitionContext.Builder().withGroup("cert-manager.io")
                .withVersion("v1").withKind("Certificate").withPlural("certificates").withNamespaced(true).build()).inNamespace(ns);
        await().atMost(WAIT).untilAsserted(() -> assertThat(certificates.list().getItems()).hasSize(3));
        await().atMost(WAIT).untilAsserted(() -> assertThat(degraded(ns, "cm")).contains("waiting for cert-manager to issue Secret cm-tls-peer"));

        // Play cert-manager: issue what each Certificate asks for, from the issuer's CA.
        Instant now = Instant.now();
        CertificateAuthority issuer = CertificateAuthority.create("storageos-ca", now, Duration.ofDays(365));
        for (GenericKubernetesResource certificate : certificates.list().getItems()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> spec = (Map<String, Object>) certificate.getAdditionalProperties().get("spec");
            assertThat(spec).containsEntry("issuerRef", Map.of("name", "storageos-ca", "kind", "ClusterIssuer", "group", "cert-manager.io"));
            assertThat(((Map<?, ?>) spec.get("privateKey")).get("encoding")).isEqualTo("PKCS8");
            @SuppressWarnings("unchecked")
            List<String> usages = (List<String>) spec.get("usages");
            @SuppressWarnings("unchecked")
            List<String> dns = (List<String>) spec.getOrDefault("dnsNames", List.of());
            @SuppressWarnings("unchecked")
            List<String> ips = (List<String>) spec.getOrDefault("ipAddresses", List.of());
            IssuedCertificate issued = issuer.issue(new CertificateRequest((String) spec.get("commonName"), dns, ips,
                    usages.contains("server auth"), usages.contains("client auth"), Duration.ofDays(90)), now, issuer.certificatePem());
            client.secrets().inNamespace(ns).resource(secret((String) spec.get("secretName"), issuer.certificatePem(), issued)).create();
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(client.apps().statefulSets().inNamespace(ns).withName("cm").get()).isNotNull());
        assertThat(client.secrets().inNamespace(ns).withName("cm-tls-ca").get()).as("no CA of the operator's own").isNull();
        assertNothingRefusedIn(ns);
    }

    private static String degraded(String ns, String name) {
        EtcdCluster seen = cluster(ns, name);
        return Conditions.find(seen.getStatus() == null ? null : seen.getStatus().getConditions(), Conditions.DEGRADED)
                .map(c -> c.getReason() + ": " + c.getMessage()).orElse(null);
    }

    private static Secret secret(String name, String caPem, IssuedCertificate issued) {
        return new SecretBuilder().withNewMetadata().withName(name).endMetadata().withType("kubernetes.io/tls")
                .addToStringData("ca.crt", caPem).addToStringData("tls.crt", issued.certificatePem())
                .addToStringData("tls.key", issued.privateKeyPem()).build();
    }
}
