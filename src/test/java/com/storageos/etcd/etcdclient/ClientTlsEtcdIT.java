package com.storageos.etcd.etcdclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.storageos.etcd.testing.EtcdProcess;
import javax.net.ssl.X509TrustManager;
import javax.net.ssl.TrustManager;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLContext;
import java.util.concurrent.atomic.AtomicReference;
import java.security.cert.X509Certificate;
import java.nio.file.StandardCopyOption;
import java.net.URI;
import java.math.BigInteger;
import com.storageos.etcd.tls.Pem;
import com.storageos.etcd.tls.CertificateAuthority;
import com.storageos.etcd.tls.CertificateRequest;
import com.storageos.etcd.tls.IssuedCertificate;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real etcd with mutual TLS on both listeners, from certificates this operator issues: the operator's calls
 * (pooled jetcd client and single-member channels) work with the cluster's client certificate, a learner joins
 * and is promoted over peer TLS, and a certificate from another CA, or none, is refused.
 */
class ClientTlsEtcdIT {
    private static final Duration DAY = Duration.ofDays(1);

    @TempDir
    Path tls;

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
                JetcdEtcdAdminEtcdIT.eventually(Duration.ofSeconds(30), () -> {
                    admin.promote(added.added().id());
                    return null;
                });
                assertThat(admin.listMembers()).hasSize(2).noneMatch(EtcdMember::learner);
                assertThat(admin.status(second.clientUrl()).raftIndex()).isPositive();
                assertThat(admin.snapshot(second.clientUrl(), new ByteArrayOutputStream())).isPositive();

                // A renewal, as the kubelet lands it in a Secret volume: etcd serves the new certificate on the next
                // handshake, without a restart.
                BigInteger before = servedSerial(first.clientUrl());
                IssuedCertificate renewed = ca.issue(new CertificateRequest("server", List.of("localhost"), List.of("127.0.0.1"), true, false, DAY),
                        Instant.now(), bundle);
                write("server.key", renewed.privateKeyPem());
                write("server.crt", renewed.certificatePem());
                BigInteger after = Pem.certificates(renewed.certificatePem()).get(0).getSerialNumber();
                JetcdEtcdAdminEtcdIT.eventually(Duration.ofSeconds(10), () -> {
                    assertThat(servedSerial(first.clientUrl())).as("served after renewal").isEqualTo(after).isNotEqualTo(before);
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
            ClientTls toolTls = com.storageos.etcd.tool.ClientTlsFiles.read(java.util.Map.of(com.storageos.etcd.toolcontract.ToolEnv.TLS_DIR,
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

    /** Replaced atomically, as the kubelet swaps a Secret volume's files. */
    private void write(String name, String pem) throws IOException {
        Path tmp = tls.resolve(name + ".new");
        Files.writeString(tmp, pem);
        Files.move(tmp, tls.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The serial of the certificate a TLS listener presents to a new connection. */
    private static BigInteger servedSerial(String url) {
        URI uri = URI.create(url);
        AtomicReference<X509Certificate> served = new AtomicReference<>();
        X509TrustManager recorder = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                served.set(chain[0]);
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {recorder}, null);
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(uri.getHost(), uri.getPort())) {
                socket.startHandshake();
            } catch (IOException refusedWithoutClientCertificate) {
                // the server's certificate was seen before it asked for ours
            }
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return served.get().getSerialNumber();
    }
}
