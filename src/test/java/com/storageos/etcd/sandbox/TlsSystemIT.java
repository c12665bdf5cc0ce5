package com.storageos.etcd.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.storageos.etcd.desired.TlsSecret;
import com.storageos.etcd.etcdclient.ClientTls;
import com.storageos.etcd.testing.JetcdTls;
import com.storageos.etcd.reconciler.etcdcluster.ContinuousWriter;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster with generated mutual TLS on both ports, on the real control plane with real etcd: it forms and
 * scales 1→3→5 through the learner loop over TLS, a client with the cluster's client certificate writes and reads,
 * nothing answers plain http on the client port, and the probes' metrics port stays plain.
 */
class TlsSystemIT {
    static final String NAME = "secure";

    @TempDir
    Path root;

    @Test
    void aGeneratedTlsClusterFormsScalesAndServesOnlyMutualTls() throws Exception {
        try (SandboxCluster c = SandboxCluster.start(root, NAME)) {
            c.create(SandboxCluster.yaml(NAME, 1, """
                      tls: {peer: {}, client: {}}
                    """));
            c.awaitReady(1, Duration.ofSeconds(120));
            Secret clientSecret = c.sandbox().client().secrets().inNamespace(Sandbox.NAMESPACE).withName(NAME + "-tls-client").get();
            ClientTls tls = new ClientTls(TlsSecret.text(clientSecret, "ca.crt"), TlsSecret.text(clientSecret, "tls.crt"),
                    TlsSecret.text(clientSecret, "tls.key"));
            List<String> urls = IntStream.range(0, 5).mapToObj(i -> c.sandbox().addressing().clientUrl(c.names(), i, true)).toList();
            assertThat(urls).allMatch(u -> u.startsWith("https://"));

            try (ContinuousWriter writer = new ContinuousWriter(urls.subList(0, 1), tls)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> writer.acknowledged().size() > 20);
                long t = System.nanoTime();
                c.scale(3);
                c.awaitReady(3, Duration.ofSeconds(180));
                long grown = SandboxCluster.millisSince(t);
                t = System.nanoTime();
                c.scale(5);
                c.awaitReady(5, Duration.ofSeconds(180));
                long grownTo5 = SandboxCluster.millisSince(t);
                Thread.sleep(500);
                writer.close();

                ClientBuilder builder = Client.builder().endpoints(urls.stream().map(URI::create).toArray(URI[]::new));
                JetcdTls.configure(builder, tls);
                try (Client reader = builder.build()) {
                    for (String key : writer.acknowledged()) {
                        assertThat(reader.getKVClient().get(ContinuousWriter.bytes(key)).get(5, TimeUnit.SECONDS).getKvs())
                                .as("acknowledged write %s", key).hasSize(1);
                    }
                }
                System.out.printf("TLS cluster: 1->3 over peer TLS in %d ms, 3->5 in %d ms, %d acknowledged writes over client mTLS, longest outage %d ms%n",
                        grown, grownTo5, writer.acknowledged().size(), writer.longestOutageMillis());
            }

            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            String plainClientPort = urls.get(0).replace("https://", "http://") + "/health";
            assertThat(answers(http, plainClientPort)).as("plain http on the client port").isNotEqualTo(200);
            String metrics = "http://" + c.sandbox().addressing().memberHost(c.names(), 0) + ":2381/health";
            assertThat(answers(http, metrics)).as("the probes' plain metrics port").isEqualTo(200);
            assertThat(c.sandbox().plane().audit().refused(ConvergedSystemIT.OPERATOR)).as("refused requests").isEmpty();
        }
    }

    private static int answers(HttpClient http, String url) throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode();
        } catch (java.io.IOException e) {
            return -1;
        }
    }
}
