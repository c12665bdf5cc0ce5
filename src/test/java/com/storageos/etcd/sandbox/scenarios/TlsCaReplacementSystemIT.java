package com.storageos.etcd.sandbox.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.storageos.etcd.desired.MemberTemplateHash;
import com.storageos.etcd.etcdclient.ClientTls;
import com.storageos.etcd.naming.Labels;
import com.storageos.etcd.reconciler.etcdcluster.ContinuousWriter;
import com.storageos.etcd.sandbox.Sandbox;
import com.storageos.etcd.sandbox.SandboxCluster;
import com.storageos.etcd.testing.JetcdTls;
import com.storageos.etcd.tls.CertificateAuthority;
import com.storageos.etcd.tls.CertificateRequest;
import com.storageos.etcd.tls.IssuedCertificate;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first half of a CA replacement with the user's own Secrets, on the real control plane with real etcd and
 * a writer running: the user adds the new CA to ca.crt beside the old one; etcd reads trusted-ca-file only at
 * start, so the members restart one at a time (followers first, the leader last, never two pods not Ready at
 * once), after which a client certificate of the new CA is accepted by every member, and no acknowledged write
 * is lost. Before that roll the same certificate is refused: the restart is what makes the new CA trusted.
 */
class TlsCaReplacementSystemIT {
    static final String NAME = "rotating";

    @TempDir
    Path root;

    @Test
    void addingANewCaToTheBundleRollsTheMembersOneAtATimeAfterWhichTheNewCaIsTrusted() throws Exception {
        try (SandboxCluster c = SandboxCluster.start(root, NAME)) {
            Instant now = Instant.now();
            CertificateAuthority oldCa = CertificateAuthority.create("old-ca", now, Duration.ofDays(30));
            CertificateAuthority newCa = CertificateAuthority.create("new-ca", now, Duration.ofDays(30));
            List<String> hosts = c.sandbox().addressing().certificateHosts(c.names());
            CertificateRequest member = new CertificateRequest("member", hosts.stream().filter(h -> !isIp(h)).toList(),
                    hosts.stream().filter(TlsCaReplacementSystemIT::isIp).toList(), true, true, Duration.ofDays(10));
            // One Secret for both ports (its certificate allows server and client use), so that the bundle lands in one write.
            IssuedCertificate memberCert = oldCa.issue(member, now, oldCa.certificatePem());
            IssuedCertificate oldClient = oldCa.issue(CertificateRequest.clientOnly("storageos", Duration.ofDays(10)), now, oldCa.certificatePem());
            IssuedCertificate newClient = newCa.issue(CertificateRequest.clientOnly("storageos", Duration.ofDays(10)), now, newCa.certificatePem());
            put(c, "own-member", oldCa.certificatePem(), memberCert, false);
            put(c, "own-client", oldCa.certificatePem(), oldClient, false);
            c.create(SandboxCluster.yaml(NAME, 3, """
                      tls: {peer: {secretName: own-member}, client: {secretName: own-member, clientSecretName: own-client}}
                    """));
            c.awaitReady(3, Duration.ofSeconds(180));
            List<String> urls = IntStream.range(0, 3).mapToObj(i -> c.sandbox().addressing().clientUrl(c.names(), i, true)).toList();
            // The servers keep their old-CA certificates throughout, so clients go on trusting the old CA.
            ClientTls oldTls = new ClientTls(oldCa.certificatePem(), oldClient.certificatePem(), oldClient.privateKeyPem());
            ClientTls newTls = new ClientTls(oldCa.certificatePem(), newClient.certificatePem(), newClient.privateKeyPem());
            assertThat(catchThrowable(() -> get(urls.get(0), newTls))).as("a new-CA client before the members trust it").isNotNull();

            try (ContinuousWriter writer = new ContinuousWriter(urls, oldTls);
                 MemberPodWatch pods = new MemberPodWatch(c.sandbox().client(), c.names(), 3)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> writer.acknowledged().size() > 20);
                Map<String, String> before = podUids(c);
                String leader = c.cluster().getStatus().getLeader();
                pods.reset();
                long t0 = System.nanoTime();
                String bundle = oldCa.certificatePem() + newCa.certificatePem();
                put(c, "own-member", bundle, memberCert, true);
                await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(250)).until(() -> rolledOut(c, before));
                c.awaitReady(3, Duration.ofSeconds(60));
                long took = SandboxCluster.millisSince(t0);
                Thread.sleep(500);
                writer.close();

                assertThat(pods.deletions()).as("each member restarted once, the leader %s last", leader)
                        .hasSize(3).doesNotHaveDuplicates().last().isEqualTo(leader);
                assertThat(pods.maxNotReady()).as("member pods not Ready at once; worst: %s", pods.worstMoment()).isLessThanOrEqualTo(1);
                for (String url : urls) {
                    assertThat(get(url, newTls)).as("%s accepts a client certificate of the new CA", url).isNotNegative();
                }
                ClientBuilder builder = Client.builder().endpoints(urls.stream().map(URI::create).toArray(URI[]::new));
                JetcdTls.configure(builder, oldTls);
                try (Client reader = builder.build()) {
                    for (String key : writer.acknowledged()) {
                        assertThat(reader.getKVClient().get(ContinuousWriter.bytes(key)).get(5, TimeUnit.SECONDS).getKvs())
                                .as("acknowledged write %s", key).hasSize(1);
                    }
                }
                System.out.printf("CA bundle change: 3 members rolled in %d ms (order %s), %d acknowledged writes, longest write outage %d ms%n",
                        took, pods.deletions(), writer.acknowledged().size(), writer.longestOutageMillis());
            }
            assertThat(c.sandbox().plane().audit().refused(ConvergedSystemIT.OPERATOR)).as("refused requests").isEmpty();
        }
    }

    /** The count of keys, read through one member with the given client certificate. */
    private static long get(String url, ClientTls tls) throws Exception {
        ClientBuilder builder = Client.builder().endpoints(URI.create(url)).connectTimeout(Duration.ofSeconds(3));
        JetcdTls.configure(builder, tls);
        try (Client client = builder.build()) {
            return client.getKVClient().get(ContinuousWriter.bytes("probe")).get(10, TimeUnit.SECONDS).getCount();
        }
    }

    private static void put(SandboxCluster c, String name, String caPem, IssuedCertificate issued, boolean update) {
        Secret secret = new SecretBuilder().withNewMetadata().withName(name).withNamespace(Sandbox.NAMESPACE).endMetadata()
                .withType("kubernetes.io/tls").addToStringData("ca.crt", caPem).addToStringData("tls.crt", issued.certificatePem())
                .addToStringData("tls.key", issued.privateKeyPem()).build();
        var resource = c.sandbox().client().secrets().inNamespace(Sandbox.NAMESPACE).resource(secret);
        if (update) {
            resource.update();
        } else {
            resource.create();
        }
    }

    /** Every pod replaced onto the StatefulSet's current template, and Ready. */
    private static boolean rolledOut(SandboxCluster c, Map<String, String> before) {
        List<Pod> pods = memberPods(c);
        Map<String, String> now = podUids(c);
        String wanted = c.sandbox().client().apps().statefulSets().inNamespace(Sandbox.NAMESPACE).withName(NAME).get()
                .getSpec().getTemplate().getMetadata().getAnnotations().get(MemberTemplateHash.ANNOTATION);
        return now.size() == 3 && before.keySet().stream().allMatch(p -> now.containsKey(p) && !now.get(p).equals(before.get(p)))
                && pods.stream().allMatch(p -> wanted.equals(p.getMetadata().getAnnotations().get(MemberTemplateHash.ANNOTATION))
                && p.getStatus().getConditions().stream().anyMatch(s -> "Ready".equals(s.getType()) && "True".equals(s.getStatus())));
    }

    private static List<Pod> memberPods(SandboxCluster c) {
        return c.sandbox().client().pods().inNamespace(Sandbox.NAMESPACE).withLabels(Labels.memberSelector(NAME)).list().getItems()
                .stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    }

    private static Map<String, String> podUids(SandboxCluster c) {
        return memberPods(c).stream().collect(Collectors.toMap(p -> p.getMetadata().getName(), p -> p.getMetadata().getUid()));
    }

    private static boolean isIp(String host) {
        return host.chars().allMatch(ch -> Character.isDigit(ch) || ch == '.');
    }
}
