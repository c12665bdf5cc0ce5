package com.storageos.etcd.reconciler.etcdcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.desired.TlsSecret;
import com.storageos.etcd.status.Conditions;
import com.storageos.etcd.testing.FreshPorts;
import com.storageos.etcd.testing.kube.AuditLog;
import com.storageos.etcd.testing.kube.ControlPlane;
import com.storageos.etcd.testing.kube.OperatorInstall;
import com.storageos.etcd.testing.kube.OperatorProcess;
import com.storageos.etcd.tls.CertificateAuthority;
import com.storageos.etcd.tls.CertificateCheck;
import com.storageos.etcd.tls.CertificateRequest;
import com.storageos.etcd.tls.IssuedCertificate;
import com.storageos.etcd.tls.Pem;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatusBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.ResourceQuotaStatusBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The EtcdCluster reconciler as the chart deploys it: the packaged operator under the chart's
 * ServiceAccount and RBAC, against a real API server (server-side apply, validation, admission).
 * No etcd member runs (there is no node), so a new cluster stays in its bootstrap phase: what is
 * checked is what the user sees on the Kubernetes side. One operator serves every test; each test
 * has its own namespace, and none of the operator's requests may be refused.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EtcdClusterReconcilerApiServerTest {
    static final String OPERATOR = AuditLog.serviceAccountUser(OperatorInstall.NAMESPACE, "etcd-operator");
    static final Duration WAIT = Duration.ofSeconds(30);
    static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);
    /** The one namespace where the server refuses the operator on purpose. */
    static final String QUOTA_NAMESPACE = "quota";

    static ControlPlane plane;
    static OperatorInstall install;
    static OperatorProcess operator;
    static KubernetesClient client;

    @BeforeAll
    static void startOperator() {
        plane = ControlPlane.start(false);
        client = plane.admin();
        install = OperatorInstall.install(plane, Map.of());
        operator = OperatorProcess.start(install, "operator-0", Map.of());
        operator.awaitReady(Duration.ofSeconds(60));
    }

    @AfterAll
    static void stopOperator() {
        if (operator != null) {
            operator.close();
        }
        if (plane != null) {
            plane.close();
        }
    }

    @Test
    void newClusterGetsItsObjectsAndBootstrapsOneMemberFirst() throws Exception {
        String ns = namespace("new-cluster");
        create(ns, """
                metadata: {name: storageos-etcd}
                spec: {}
                """);

        await().atMost(WAIT).untilAsserted(() -> {
            StatefulSet sts = client.apps().statefulSets().inNamespace(ns).withName("storageos-etcd").get();
            assertThat(sts).isNotNull();
            assertThat(sts.getSpec().getReplicas()).as("only member 0 starts; the others join as learners").isEqualTo(1);
            // Applied after the StatefulSet in the same reconcile.
            assertThat(client.policy().v1().podDisruptionBudget().inNamespace(ns).withName("storageos-etcd").get()).isNotNull();
        });
        StatefulSet sts = client.apps().statefulSets().inNamespace(ns).withName("storageos-etcd").get();
        assertThat(sts.getSpec().getUpdateStrategy().getType()).isEqualTo("OnDelete");
        assertThat(sts.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> assertThat(o.getKind()).isEqualTo("EtcdCluster"));
        Service peer = client.services().inNamespace(ns).withName("storageos-etcd-peer").get();
        assertThat(peer.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(peer.getSpec().getPublishNotReadyAddresses()).isTrue();
        assertThat(client.services().inNamespace(ns).withName("storageos-etcd-client").get()).isNotNull();
        PodDisruptionBudget pdb = client.policy().v1().podDisruptionBudget().inNamespace(ns).withName("storageos-etcd").get();
        assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isEqualTo(1);
        assertThat(client.serviceAccounts().inNamespace(ns).withName("storageos-etcd-member").get()).isNotNull();
        assertThat(client.rbac().roles().inNamespace(ns).withName("storageos-etcd-member").get().getRules())
                .singleElement().satisfies(r -> assertThat(r.getVerbs()).containsExactly("get"));

        await().atMost(WAIT).untilAsserted(() -> {
            EtcdCluster seen = cluster(ns, "storageos-etcd");
            assertThat(seen.getStatus().getPendingChange().getOperation()).isEqualTo("Bootstrap");
            assertThat(Conditions.find(seen.getStatus().getConditions(), Conditions.AVAILABLE)).hasValueSatisfying(c -> {
                assertThat(c.getStatus()).isEqualTo("False");
                assertThat(c.getReason()).isEqualTo("Bootstrapping");
                assertThat(c.getObservedGeneration()).isEqualTo(seen.getMetadata().getGeneration());
            });
            assertThat(Conditions.find(seen.getStatus().getConditions(), Conditions.READY))
                    .hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("False"));
            assertThat(seen.getStatus().getSelector()).contains("etcd.storageos.com/cluster=storageos-etcd");
        });
        assertThat(client.v1().events().inNamespace(ns).list().getItems())
                .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("Bootstrapping"));
        Thread.sleep(1500); // several more reconciles
        assertThat(client.rbac().roles().inNamespace(ns).withName("storageos-etcd-member").get().getRules())
                .as("re-applying an object must not duplicate its lists").hasSize(1);
        assertThat(client.apps().statefulSets().inNamespace(ns).withName("storageos-etcd").get()
                .getSpec().getTemplate().getSpec().getContainers()).hasSize(1);
        // The operator's own metrics, served by the packaged application (Quarkus wiring and Micrometer).
        assertThat(operator.get("/q/metrics")).contains("etcd_operator_backup_last_success_timestamp_seconds")
                .contains("namespace=\"" + ns + "\"");
        assertNothingRefusedIn(ns);
    }

    @Test
    void backupAndDefragRunAsCronJobsAndABackupCanBeRequestedNow() {
        String ns = namespace("tools");
        create(ns, """
                metadata:
                  name: kept
                  annotations: {etcd.storageos.com/backup-now: before-upgrade}
                spec:
                  backup: {schedule: "0 * * * *", pvc: {claimName: etcd-backups}}
                  defrag: {schedule: "0 3 * * *"}
                """);

        await().atMost(WAIT).untilAsserted(() -> {
            var cron = client.batch().v1().cronjobs().inNamespace(ns).withName("kept-backup").get();
            assertThat(cron).isNotNull();
            assertThat(cron.getSpec().getSchedule()).isEqualTo("0 * * * *");
            assertThat(cron.getSpec().getConcurrencyPolicy()).isEqualTo("Forbid");
            assertThat(client.batch().v1().cronjobs().inNamespace(ns).withName("kept-defrag").get())
                    .isNotNull().satisfies(d -> assertThat(d.getSpec().getSchedule()).isEqualTo("0 3 * * *"));
            assertThat(client.serviceAccounts().inNamespace(ns).withName("kept-tool").get()).isNotNull();
            assertThat(client.batch().v1().jobs().inNamespace(ns).list().getItems())
                    .singleElement().satisfies(j -> assertThat(j.getMetadata().getName()).startsWith("kept-backup-now-"));
            assertThat(cluster(ns, "kept").getMetadata().getAnnotations())
                    .containsEntry("etcd.storageos.com/backup-now-handled", "before-upgrade");
        });

        client.resources(EtcdCluster.class).inNamespace(ns).withName("kept").patch(MERGE, "{\"spec\":{\"defrag\":null}}");
        await().atMost(Duration.ofSeconds(40)).untilAsserted(() ->
                assertThat(client.batch().v1().cronjobs().inNamespace(ns).withName("kept-defrag").get()).isNull());
        assertThat(client.batch().v1().jobs().inNamespace(ns).list().getItems()).as("a handled request starts no second Job").hasSize(1);
        assertNothingRefusedIn(ns);
    }

    @Test
    void aLargerVolumeGrowsTheClaimsAndLeavesTheImmutableClaimTemplateAlone() {
        String ns = namespace("grow");
        // A real API server resizes only a bound claim whose StorageClass allows expansion (admission);
        // with no controller manager here, the test plays the provisioner and binds the claim itself.
        client.storage().v1().storageClasses().resource(new StorageClassBuilder().withNewMetadata().withName("expandable").endMetadata()
                .withProvisioner("example.com/none").withAllowVolumeExpansion(true).build()).create();
        create(ns, """
                metadata: {name: grow}
                spec:
                  storage: {storageClassName: expandable}
                """);
        await().atMost(WAIT).until(() -> client.apps().statefulSets().inNamespace(ns).withName("grow").get() != null);
        // Labelled as the StatefulSet controller labels the claims it creates: with the StatefulSet's selector.
        PersistentVolumeClaim claim = client.resource(new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName("data-grow-0").withNamespace(ns)
                .withLabels(client.apps().statefulSets().inNamespace(ns).withName("grow").get().getSpec().getSelector().getMatchLabels())
                .endMetadata()
                .withNewSpec().withAccessModes("ReadWriteOnce").withStorageClassName("expandable").withVolumeName("pv-grow-0")
                .withNewResources().addToRequests("storage", new Quantity("10Gi")).endResources().endSpec().build()).create();
        claim.setStatus(new PersistentVolumeClaimStatusBuilder().withPhase("Bound")
                .withAccessModes("ReadWriteOnce").addToCapacity("storage", new Quantity("10Gi")).build());
        client.resource(claim).updateStatus();

        client.resources(EtcdCluster.class).inNamespace(ns).withName("grow").patch(MERGE, "{\"spec\":{\"storage\":{\"size\":\"20Gi\"}}}");

        await().atMost(WAIT).untilAsserted(() -> assertThat(client.persistentVolumeClaims().inNamespace(ns)
                .withName("data-grow-0").get().getSpec().getResources().getRequests().get("storage").toString()).isEqualTo("20Gi"));
        assertThat(client.apps().statefulSets().inNamespace(ns).withName("grow").get().getSpec().getVolumeClaimTemplates().get(0)
                .getSpec().getResources().getRequests().get("storage").toString())
                .as("a real API server rejects changes to volumeClaimTemplates").isEqualTo("10Gi");
        assertNothingRefusedIn(ns);
    }

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

    /**
     * {@code kubectl label statefulset/... team=storage}: server-side apply owns only the operator's
     * fields, so a user's label stays through the operator's next applies of the same objects.
     */
    @Test
    void aLabelAUserAddedSurvivesTheFollowingReconciles() throws Exception {
        String ns = namespace("labels");
        create(ns, """
                metadata: {name: labelled}
                spec: {replicas: 3}
                """);
        await().atMost(WAIT).until(() -> client.apps().statefulSets().inNamespace(ns).withName("labelled").get() != null
                && client.services().inNamespace(ns).withName("labelled-peer").get() != null);
        String userLabel = "{\"metadata\":{\"labels\":{\"team\":\"storage\"}}}";
        client.apps().statefulSets().inNamespace(ns).withName("labelled").patch(MERGE, userLabel);
        client.services().inNamespace(ns).withName("labelled-peer").patch(MERGE, userLabel);
        int stsApplies = applies(ns, "statefulsets", "labelled");
        int peerApplies = applies(ns, "services", "labelled-peer");

        // A spec edit that changes the desired StatefulSet: the operator applies it again.
        client.resources(EtcdCluster.class).inNamespace(ns).withName("labelled")
                .patch(MERGE, "{\"spec\":{\"replicas\":5,\"podTemplate\":{\"annotations\":{\"example.com/note\":\"edited\"}}}}");
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(applies(ns, "statefulsets", "labelled")).as("applies of the StatefulSet").isGreaterThan(stsApplies);
            assertThat(client.apps().statefulSets().inNamespace(ns).withName("labelled").get()
                    .getSpec().getTemplate().getMetadata().getAnnotations()).containsEntry("example.com/note", "edited");
        });
        // A restarted operator has no memory of its applies and applies every object once (the peer Service too).
        operator.close();
        operator = OperatorProcess.start(install, "operator-1", Map.of());
        operator.awaitReady(Duration.ofSeconds(60));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(applies(ns, "services", "labelled-peer")).as("applies of the peer Service").isGreaterThan(peerApplies));
        Thread.sleep(1000); // and some resyncs

        for (HasMetadata o : List.of(client.apps().statefulSets().inNamespace(ns).withName("labelled").get(),
                client.services().inNamespace(ns).withName("labelled-peer").get())) {
            assertThat(o.getMetadata().getLabels()).as(o.getKind() + " labels")
                    .containsEntry("team", "storage")
                    .containsEntry("etcd.storageos.com/cluster", "labelled");
        }
        assertNothingRefusedIn(ns);
    }

    /**
     * A write the API server refuses (here a ResourceQuota that admits no PodDisruptionBudget) is on the
     * status and in one Warning Event, in the server's own words, and goes through once the quota allows it.
     */
    @Test
    void aRefusedWriteIsOnTheStatusAndInAnEventUntilItGoesThrough() {
        String ns = namespace(QUOTA_NAMESPACE);
        ResourceQuota quota = client.resource(new ResourceQuotaBuilder().withNewMetadata().withName("no-budgets").withNamespace(ns).endMetadata()
                .withNewSpec().addToHard("count/poddisruptionbudgets.policy", new Quantity("0")).endSpec().build()).create();
        // Admission enforces what the quota's status says; with no controller manager here, the test writes it.
        quota.setStatus(new ResourceQuotaStatusBuilder().addToHard("count/poddisruptionbudgets.policy", new Quantity("0"))
                .addToUsed("count/poddisruptionbudgets.policy", new Quantity("0")).build());
        client.resource(quota).updateStatus();
        create(ns, """
                metadata: {name: quota}
                spec: {}
                """);

        await().atMost(WAIT).untilAsserted(() -> {
            EtcdCluster seen = cluster(ns, "quota");
            assertThat(Conditions.find(seen.getStatus() == null ? null : seen.getStatus().getConditions(), Conditions.DEGRADED))
                    .hasValueSatisfying(degraded -> {
                        assertThat(degraded.getStatus()).isEqualTo("True");
                        assertThat(degraded.getReason()).isEqualTo("StepFailed");
                        assertThat(degraded.getMessage()).contains("403").contains("poddisruptionbudgets");
                    });
            assertThat(client.v1().events().inNamespace(ns).list().getItems())
                    .anySatisfy(e -> assertThat(e.getReason() + " " + e.getType()).isEqualTo("StepFailed Warning"));
        });
        client.resourceQuotas().inNamespace(ns).withName("no-budgets").delete();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(client.policy().v1().podDisruptionBudget().inNamespace(ns).withName("quota").get()).isNotNull();
            assertThat(Conditions.find(cluster(ns, "quota").getStatus().getConditions(), Conditions.DEGRADED))
                    .hasValueSatisfying(c -> assertThat(c.getReason()).isNotEqualTo("StepFailed"));
        });
    }

    /** Last: across every test, and outside any namespace too, the chart's RBAC and the server accepted every request. */
    @Test
    @Order(Integer.MAX_VALUE)
    void theServerRefusedNoRequestOfTheOperator() {
        assertThat(plane.audit().writes(OPERATOR)).isNotEmpty();
        assertThat(plane.audit().refused(OPERATOR)).filteredOn(e -> !e.uri().contains("/namespaces/" + QUOTA_NAMESPACE + "/")).isEmpty();
    }

    private static String namespace(String name) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
        return name;
    }

    private static void create(String namespace, String yaml) {
        EtcdCluster cluster = client.getKubernetesSerialization().unmarshal("""
                apiVersion: etcd.storageos.com/v1alpha1
                kind: EtcdCluster
                """ + yaml, EtcdCluster.class);
        client.resource(cluster).inNamespace(namespace).create();
    }

    private static EtcdCluster cluster(String namespace, String name) {
        return client.resources(EtcdCluster.class).inNamespace(namespace).withName(name).get();
    }

    /** The operator's successful patches (server-side applies) of one object, from the audit log. */
    private static int applies(String namespace, String resource, String name) {
        String path = "/namespaces/" + namespace + "/" + resource + "/" + name + "?";
        return (int) plane.audit().writes(OPERATOR).stream().filter(e -> "patch".equals(e.verb()) && e.uri().contains(path)).count();
    }

    private static void assertNothingRefusedIn(String namespace) {
        assertThat(plane.audit().refused(OPERATOR)).as("requests of the operator refused")
                .filteredOn(e -> e.uri().contains("/namespaces/" + namespace + "/")).isEmpty();
    }
}
