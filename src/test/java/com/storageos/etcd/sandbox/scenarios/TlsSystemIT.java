package com.storageos.etcd.sandbox.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.storageos.etcd.desired.CaRotationRequest;
import com.storageos.etcd.desired.TlsSecret;
import com.storageos.etcd.etcdclient.ClientTls;
import com.storageos.etcd.etcdclient.ServedCertificate;
import com.storageos.etcd.reconciler.etcdcluster.ContinuousWriter;
import com.storageos.etcd.sandbox.Sandbox;
import com.storageos.etcd.sandbox.SandboxCluster;
import com.storageos.etcd.sandbox.node.StorageOSClusterFixture;
import com.storageos.etcd.testing.JetcdTls;
import com.storageos.etcd.tls.CertificateAuthority;
import com.storageos.etcd.tls.Pem;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster with generated mutual TLS on both ports, on the real control plane with real etcd: it forms and
 * scales 1→3→5 through the learner loop over TLS, a client with the cluster's client certificate writes and reads,
 * nothing answers plain http on the client port, and the probes' metrics port stays plain. Between 3 and 5 the operator
 * replaces its generated CA on request, through a trust bundle, with the writer (following StorageOS's copied Secret as
 * StorageOS must) running and the operator killed -9 in the middle.
 */
class TlsSystemIT {
    static final String NAME = "secure";

    @TempDir
    Path root;

    @Test
    void aGeneratedTlsClusterFormsScalesServesOnlyMutualTlsAndReplacesItsCa() throws Exception {
        try (SandboxCluster c = SandboxCluster.start(root, NAME, Path.of("src", "test", "resources", "storageos", "storageoscluster-crd.yaml"))) {
            KubernetesClient kube = c.sandbox().client();
            kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("storageos").endMetadata().build()).create();
            StorageOSClusterFixture.create(c.sandbox(), "old-etcd:2379");
            c.create(SandboxCluster.yaml(NAME, 1, """
                      tls: {peer: {}, client: {}}
                      storageos: {name: storageos, namespace: storageos, settleSeconds: 1}
                    """));
            c.awaitReady(1, Duration.ofSeconds(120));
            ClientTls tls = clientTls(kube.secrets().inNamespace(Sandbox.NAMESPACE).withName(NAME + "-tls-client").get(), "");
            List<String> urls = IntStream.range(0, 5).mapToObj(i -> c.sandbox().addressing().clientUrl(c.names(), i, true)).toList();
            assertThat(urls).allMatch(u -> u.startsWith("https://"));
            await().atMost(Duration.ofSeconds(60)).until(() -> storageOSCopy(kube) != null);

            // StorageOS's part: it reads its copied Secret again when etcd refuses it.
            try (ContinuousWriter writer = new ContinuousWriter(urls.subList(0, 3), () -> storageOSCopy(kube))) {
                await().atMost(Duration.ofSeconds(30)).until(() -> writer.acknowledged().size() > 20);
                long t = System.nanoTime();
                c.scale(3);
                c.awaitReady(3, Duration.ofSeconds(180));
                long grown = SandboxCluster.millisSince(t);

                long rotation = replaceTheCa(c, tls, urls.subList(0, 3), writer);

                t = System.nanoTime();
                c.scale(5);
                c.awaitReady(5, Duration.ofSeconds(180));
                long grownTo5 = SandboxCluster.millisSince(t);
                Thread.sleep(500);
                writer.close();

                ClientBuilder builder = Client.builder().endpoints(urls.stream().map(URI::create).toArray(URI[]::new));
                JetcdTls.configure(builder, storageOSCopy(kube));
                try (Client reader = builder.build()) {
                    for (String key : writer.acknowledged()) {
                        assertThat(reader.getKVClient().get(ContinuousWriter.bytes(key)).get(5, TimeUnit.SECONDS).getKvs())
                                .as("acknowledged write %s", key).hasSize(1);
                    }
                }
                System.out.printf("TLS cluster: 1->3 over peer TLS in %d ms, CA replaced in %d ms, 3->5 in %d ms, %d acknowledged writes"
                                + " over client mTLS, longest write outage %d ms, writer reconnected %d times for a new certificate%n",
                        grown, rotation, grownTo5, writer.acknowledged().size(), writer.longestOutageMillis(), writer.reconnects());
            }

            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            String plainClientPort = urls.get(0).replace("https://", "http://") + "/health";
            assertThat(answers(http, plainClientPort)).as("plain http on the client port").isNotEqualTo(200);
            String metrics = "http://" + c.sandbox().addressing().memberHost(c.names(), 0) + ":2381/health";
            assertThat(answers(http, metrics)).as("the probes' plain metrics port").isEqualTo(200);
            assertThat(c.sandbox().plane().audit().refused(ConvergedSystemIT.OPERATOR)).as("refused requests").isEmpty();
        }
    }

    /**
     * The generated CA replaced on request with the writer running and the operator killed -9 mid-way: every member ends
     * serving certificates of the new CA on both ports, a client of the old CA is refused, one of the new CA accepted,
     * StorageOS's copy holds the new material, and never more than one member pod is not Ready. Returns the time it took.
     */
    private static long replaceTheCa(SandboxCluster c, ClientTls oldClient, List<String> urls, ContinuousWriter writer) throws Exception {
        KubernetesClient kube = c.sandbox().client();
        String oldCa = TlsSecret.text(kube.secrets().inNamespace(Sandbox.NAMESPACE).withName(NAME + "-tls-ca").get(), "ca.crt");
        try (MemberPodWatch pods = new MemberPodWatch(kube, c.names(), 3)) {
            await().atMost(Duration.ofSeconds(30)).until(pods::allServing);
            pods.reset();
            long t0 = System.nanoTime();
            c.sandbox().annotate(NAME, CaRotationRequest.ANNOTATION, "1");
            // Killed once the first roll is under way: the new operator resumes the recorded stage.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> "Bundling".equals(phase(c)) && !pods.deletions().isEmpty());
            c.sandbox().killOperator();
            // The old CA may leave the trust files only once nothing presents a certificate of it: checked as the drop begins.
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200)).until(() -> List.of("Dropping", "Completed").contains(phase(c)));
            CertificateAuthority incoming = newCaOf(kube);
            for (int i = 0; i < 3; i++) {
                for (String url : List.of(urls.get(i), c.sandbox().addressing().peerUrl(c.names(), i, true))) {
                    assertThat(ServedCertificate.at(url, storageOSCopy(kube), Duration.ofSeconds(3))).as("served on %s as the drop begins", url)
                            .hasValueSatisfying(cert -> assertThat(incoming.signed(cert)).isTrue());
                }
            }
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).until(() -> "Completed".equals(phase(c)));
            long took = SandboxCluster.millisSince(t0);
            c.awaitReady(3, Duration.ofSeconds(60));

            Secret ca = kube.secrets().inNamespace(Sandbox.NAMESPACE).withName(NAME + "-tls-ca").get();
            assertThat(ca.getData()).as("the old key is gone").containsOnlyKeys("ca.crt", "ca.key");
            CertificateAuthority newCa = CertificateAuthority.of(TlsSecret.text(ca, "ca.crt"), TlsSecret.text(ca, "ca.key"));
            assertThat(newCa.certificatePem()).isNotEqualTo(oldCa);
            assertThat(c.cluster().getStatus().getTls().getCaRotation().getRequest()).isEqualTo("1");
            ClientTls newClient = storageOSCopy(kube);
            assertThat(Pem.certificates(newClient.caPem())).as("StorageOS trusts the new CA alone").hasSize(1)
                    .allSatisfy(cert -> assertThat(newCa.signed(cert)).isTrue());
            assertThat(newCa.signed(Pem.certificates(newClient.certificatePem()).get(0))).as("StorageOS's new client certificate").isTrue();
            for (int i = 0; i < 3; i++) {
                for (String url : List.of(urls.get(i), c.sandbox().addressing().peerUrl(c.names(), i, true))) {
                    assertThat(ServedCertificate.at(url, newClient, Duration.ofSeconds(3))).as("served on %s", url)
                            .hasValueSatisfying(cert -> assertThat(newCa.signed(cert)).isTrue());
                }
                String url = urls.get(i);
                assertThat(catchThrowable(() -> get(url, new ClientTls(newClient.caPem(), oldClient.certificatePem(), oldClient.privateKeyPem()))))
                        .as("%s refuses a client certificate of the old CA", url).isNotNull();
                assertThat(get(url, newClient)).as("%s accepts one of the new CA", url).isNotNegative();
            }
            Map<String, Long> restarts = pods.deletions().stream().collect(Collectors.groupingBy(p -> p, TreeMap::new, Collectors.counting()));
            assertThat(restarts).as("each member restarted for the bundle and for the drop; the operator's reasons: %s", restartReasons(kube))
                    .hasSize(3).allSatisfy((pod, n) -> assertThat(n).isEqualTo(2L));
            assertThat(pods.maxNotReady()).as("member pods not Ready at once; worst: %s", pods.worstMoment()).isLessThanOrEqualTo(1);
            System.out.printf("CA rotation: %d ms, restarts per member %s, longest write outage so far %d ms%n", took, restarts,
                    writer.longestOutageMillis());
            return took;
        }
    }

    /** The operator's MemberRestarted events, each with how often it was sent: why each pod was restarted. */
    private static List<String> restartReasons(KubernetesClient kube) {
        return kube.v1().events().inNamespace(Sandbox.NAMESPACE).list().getItems().stream()
                .filter(e -> "MemberRestarted".equals(e.getReason()) && NAME.equals(e.getInvolvedObject().getName()))
                .map(e -> e.getCount() + "x " + e.getMessage()).toList();
    }

    /** The CA a rotation brings in: beside the old one until the drop promotes it. */
    private static CertificateAuthority newCaOf(KubernetesClient kube) {
        Secret ca = kube.secrets().inNamespace(Sandbox.NAMESPACE).withName(NAME + "-tls-ca").get();
        String next = TlsSecret.text(ca, TlsSecret.NEXT_CA_FILE);
        return next != null ? CertificateAuthority.of(next, TlsSecret.text(ca, TlsSecret.NEXT_CA_KEY_FILE))
                : CertificateAuthority.of(TlsSecret.text(ca, "ca.crt"), TlsSecret.text(ca, "ca.key"));
    }

    private static String phase(SandboxCluster c) {
        var status = c.cluster().getStatus();
        return status == null || status.getTls() == null || status.getTls().getCaRotation() == null ? null
                : status.getTls().getCaRotation().getPhase();
    }

    /** StorageOS's copy of the client certificate in its namespace, under its key names; null until it is there. */
    private static ClientTls storageOSCopy(KubernetesClient kube) {
        Secret copy = kube.secrets().inNamespace("storageos").withName(NAME + "-storageos-etcd-client").get();
        return copy == null ? null : clientTls(copy, "etcd-client");
    }

    private static ClientTls clientTls(Secret secret, String storageosPrefix) {
        return storageosPrefix.isEmpty()
                ? new ClientTls(TlsSecret.text(secret, "ca.crt"), TlsSecret.text(secret, "tls.crt"), TlsSecret.text(secret, "tls.key"))
                : new ClientTls(TlsSecret.text(secret, storageosPrefix + "-ca.crt"), TlsSecret.text(secret, storageosPrefix + ".crt"),
                        TlsSecret.text(secret, storageosPrefix + ".key"));
    }

    /** The count of keys, read through one member with the given client certificate. */
    private static long get(String url, ClientTls tls) throws Exception {
        ClientBuilder builder = Client.builder().endpoints(URI.create(url)).connectTimeout(Duration.ofSeconds(3));
        JetcdTls.configure(builder, tls);
        try (Client client = builder.build()) {
            return client.getKVClient().get(ContinuousWriter.bytes("probe")).get(10, TimeUnit.SECONDS).getCount();
        }
    }

    private static int answers(HttpClient http, String url) throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        }
    }
}
