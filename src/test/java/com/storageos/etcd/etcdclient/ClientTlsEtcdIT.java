package com.storageos.etcd.etcdclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.storageos.etcd.testing.EtcdBinaries;
import com.storageos.etcd.testing.EtcdProcess;
import com.storageos.etcd.testing.IntermediateCa;
import com.storageos.etcd.tls.CertificateAuthority;
import com.storageos.etcd.tls.CertificateCheck;
import com.storageos.etcd.tls.CertificateRequest;
import com.storageos.etcd.tls.IssuedCertificate;
import com.storageos.etcd.tls.Pem;
import com.storageos.etcd.tool.ClientTlsFiles;
import com.storageos.etcd.toolcontract.ToolEnv;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Real etcd with mutual TLS on both listeners, from certificates this operator issues: the operator's calls
 * (pooled jetcd client and single-member channels) work with the cluster's client certificate, a learner joins
 * and is promoted over peer TLS, and a certificate from another CA, or none, is refused.
 */
class ClientTlsEtcdIT extends TlsDirFixture {
    @Test
    void theOperatorsCallsAndPeerTrafficRunOverMutualTls() throws IOException {
        Instant now = Instant.now();
        CertificateAuthority ca = CertificateAuthority.create("test-ca", now, Duration.ofDays(10));
        String bundle = ca.certificatePem();
        write("ca.crt", bundle);
        IssuedCertificate server = ca.issue(new CertificateRequest("server", List.of("localhost"), List.of("127.0.0.1"), true, false, DAY), now, bundle);
        IssuedCertificate peer = ca.issue(new CertificateRequest("peer", List.of(), List.of("127.0.0.1"), true, true, DAY), now, bundle);
        write("server.crt", server.certificatePem());
        write("server.key", server.privateKeyPem());
        write("peer.crt", peer.certificatePem());
        write("peer.key", peer.privateKeyPem());
        IssuedCertificate client = ca.issue(CertificateRequest.clientOnly("etcd-operator", DAY), now, bundle);
        ClientTls operator = new ClientTls(bundle, client.certificatePem(), client.privateKeyPem());

        try (EtcdProcess first = EtcdProcess.reserve("tls-0", tls); EtcdProcess second = EtcdProcess.reserve("tls-1", tls)) {
            first.startNewCluster();
            assertThat(first.clientUrl()).startsWith("https://");
            try (EtcdAdmin admin = new JetcdEtcdAdminFactory(Duration.ofSeconds(5)).connect(List.of(first.clientUrl()), operator)) {
                assertThat(admin.status(first.clientUrl()).isLeader()).isTrue();
                assertThat(admin.isHealthy(first.clientUrl())).isTrue();

                MemberAddResult added = admin.addLearner(second.peerUrl());
                second.startJoining(first.name() + "=" + first.peerUrl() + "," + second.name() + "=" + second.peerUrl());
                JetcdEtcdAdminFixture.eventually(Duration.ofSeconds(30), () -> {
                    admin.promote(added.added().id());
                    return null;
                });
                assertThat(admin.listMembers()).hasSize(2).noneMatch(EtcdMember::learner);
                assertThat(admin.status(second.clientUrl()).raftIndex()).isPositive();
                assertThat(admin.snapshot(second.clientUrl(), new ByteArrayOutputStream())).isPositive();
                // The status's cluster version is read from GET /version, over the same mTLS.
                String release = EtcdBinaries.DEFAULT_VERSION;
                JetcdEtcdAdminFixture.eventually(Duration.ofSeconds(30), () -> {
                    assertThat(admin.clusterVersion()).hasValue(release.substring(0, release.lastIndexOf('.')) + ".0");
                    return null;
                });

                // A migration's reachability check reads each member's own peer probes from its /metrics, over mTLS.
                MetricsPeerRoundTrips metrics = new MetricsPeerRoundTrips(Duration.ofSeconds(2));
                JetcdEtcdAdminFixture.eventually(Duration.ofSeconds(30), () -> {
                    assertThat(metrics.read(first.clientUrl(), operator)).as("/metrics over mTLS")
                            .hasValueSatisfying(probed -> assertThat(probed.get(added.added().id())).as("its probes of the new member")
                                    .isNotNull().matches(PeerRoundTrips.Probed::reachedOnce));
                    return null;
                });
                assertThat(metrics.read(first.clientUrl(), null)).as("https /metrics without a client certificate").isEmpty();

                // A renewal, as the kubelet lands it in a Secret volume: etcd serves the new certificate on the next
                // handshake, without a restart.
                BigInteger before = servedSerial(first.clientUrl(), operator);
                IssuedCertificate renewed = ca.issue(new CertificateRequest("server", List.of("localhost"), List.of("127.0.0.1"), true, false, DAY),
                        Instant.now(), bundle);
                write("server.key", renewed.privateKeyPem());
                write("server.crt", renewed.certificatePem());
                BigInteger after = Pem.certificates(renewed.certificatePem()).get(0).getSerialNumber();
                JetcdEtcdAdminFixture.eventually(Duration.ofSeconds(10), () -> {
                    assertThat(servedSerial(first.clientUrl(), operator)).as("served after renewal").isEqualTo(after).isNotEqualTo(before);
                    return null;
                });
                assertThat(first.isAlive()).isTrue();
                assertThat(admin.status(first.clientUrl()).isLeader()).as("the operator's open connection").isTrue();
            }

            // The backup and defrag tools: the client certificate from the files their pod mounts, a snapshot and a defrag over mTLS.
            Path mounted = Files.createDirectories(tls.resolve("tool-client"));
            Files.writeString(mounted.resolve("ca.crt"), bundle);
            Files.writeString(mounted.resolve("tls.crt"), client.certificatePem());
            Files.writeString(mounted.resolve("tls.key"), client.privateKeyPem());
            ClientTls toolTls = ClientTlsFiles.read(Map.of(ToolEnv.TLS_DIR,
                    mounted.toString()));
            try (EtcdAdmin tool = new JetcdEtcdAdminFactory(Duration.ofSeconds(5)).connect(List.of(first.clientUrl(), second.clientUrl()), toolTls)) {
                ByteArrayOutputStream snapshot = new ByteArrayOutputStream();
                assertThat(tool.snapshot(second.clientUrl(), snapshot)).as("a backup's snapshot over mTLS").isPositive();
                tool.defragment(second.clientUrl());
                tool.defragment(first.clientUrl());
                assertThat(tool.isHealthy(first.clientUrl()) && tool.isHealthy(second.clientUrl())).as("healthy after the defrag").isTrue();
            }

            CertificateAuthority other = CertificateAuthority.create("someone-else", now, Duration.ofDays(10));
            IssuedCertificate stranger = other.issue(CertificateRequest.clientOnly("etcd-operator", DAY), now, other.certificatePem());
            try (EtcdAdmin admin = new JetcdEtcdAdminFactory(Duration.ofSeconds(2))
                    .connect(List.of(first.clientUrl()), new ClientTls(bundle, stranger.certificatePem(), stranger.privateKeyPem()))) {
                assertThatThrownBy(() -> admin.status(first.clientUrl())).as("a client certificate from another CA")
                        .isInstanceOf(EtcdAdminException.class);
                assertThatThrownBy(admin::listMembers).isInstanceOf(EtcdAdminException.class);
            }
            assertThatThrownBy(() -> new JetcdEtcdAdminFactory(Duration.ofSeconds(2)).connect(List.of(first.clientUrl())))
                    .as("https without a client certificate").isInstanceOf(IllegalArgumentException.class);
        }
    }

    /**
     * A user's PKI: ca.crt holds the root only, each tls.crt the leaf followed by the issuing CA. etcd serves and
     * accepts such chains on both ports, a learner joins over them, and the operator's client presents its chain;
     * a leaf whose intermediate is left out is refused, as CertificateCheck refuses it.
     */
    @Test
    void leavesChainedThroughAnIntermediateCaWorkOnBothPorts() throws IOException {
        Instant now = Instant.now();
        CertificateAuthority root = IntermediateCa.root("corp-root", now, null);
        CertificateAuthority issuing = IntermediateCa.below(root, "corp-issuing", now);
        String rootPem = root.certificatePem();
        write("ca.crt", rootPem);
        IssuedCertificate server = issuing.issue(new CertificateRequest("server", List.of("localhost"), List.of("127.0.0.1"), true, false, DAY), now, rootPem);
        IssuedCertificate peer = issuing.issue(new CertificateRequest("peer", List.of(), List.of("127.0.0.1"), true, true, DAY), now, rootPem);
        write("server.crt", server.certificatePem() + issuing.certificatePem());
        write("server.key", server.privateKeyPem());
        write("peer.crt", peer.certificatePem() + issuing.certificatePem());
        write("peer.key", peer.privateKeyPem());
        IssuedCertificate client = issuing.issue(CertificateRequest.clientOnly("etcd-operator", DAY), now, rootPem);
        String clientChain = client.certificatePem() + issuing.certificatePem();
        assertThat(CertificateCheck.problems(rootPem, clientChain, client.privateKeyPem(), List.of(), false, true, now)).isEmpty();

        try (EtcdProcess first = EtcdProcess.reserve("chain-0", tls); EtcdProcess second = EtcdProcess.reserve("chain-1", tls)) {
            first.startNewCluster();
            try (EtcdAdmin admin = new JetcdEtcdAdminFactory(Duration.ofSeconds(5))
                    .connect(List.of(first.clientUrl()), new ClientTls(rootPem, clientChain, client.privateKeyPem()))) {
                MemberAddResult added = admin.addLearner(second.peerUrl());
                second.startJoining(first.name() + "=" + first.peerUrl() + "," + second.name() + "=" + second.peerUrl());
                JetcdEtcdAdminFixture.eventually(Duration.ofSeconds(30), () -> {
                    admin.promote(added.added().id());
                    return null;
                });
                assertThat(admin.listMembers()).as("joined and promoted over chained peer certificates").hasSize(2).noneMatch(EtcdMember::learner);
                assertThat(admin.status(second.clientUrl()).raftIndex()).isPositive();
            }
            ClientTls leafOnly = new ClientTls(rootPem, client.certificatePem(), client.privateKeyPem());
            assertThat(CertificateCheck.problems(rootPem, client.certificatePem(), client.privateKeyPem(), List.of(), false, true, now))
                    .singleElement().asString().contains("is not signed by ca.crt");
            assertThat(answers(first, leafOnly)).as("a client leaf without its intermediate").isFalse();
        }
    }

    /** The serial of the certificate a TLS listener presents to a new connection. */
    private static BigInteger servedSerial(String url, ClientTls tls) {
        return ServedCertificate.at(url, tls, Duration.ofSeconds(2)).orElseThrow().getSerialNumber();
    }
}
