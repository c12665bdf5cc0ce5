package com.storageos.etcd.etcdclient;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.testing.EtcdProcess;
import com.storageos.etcd.tls.CertificateAuthority;
import com.storageos.etcd.tls.CertificateRequest;
import com.storageos.etcd.tls.IssuedCertificate;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A CA replaced on real etcd with mutual TLS through a trust bundle: only the trust file's change needs restarts. */
class CaReplacementEtcdIT extends TlsDirFixture {
    /**
     * What CaRotationPlanner's stages rely on, measured on real etcd (two members sharing one set of files): a CA added to
     * ca.crt is trusted only after a restart; leaves reissued from the new CA are served on the client AND the peer port
     * without a restart, and presented as the peer client certificate too, so that a member restarted onto the new CA
     * alone still hears from one started while its files were of the old CA; after the drop an old-CA client is refused.
     */
    @Test
    void aCaReplacedThroughATrustBundleNeedsRestartsOnlyForTheTrustFile() throws Exception {
        Instant now = Instant.now();
        CertificateAuthority oldCa = CertificateAuthority.create("old-ca", now, Duration.ofDays(10));
        CertificateAuthority newCa = CertificateAuthority.create("new-ca", now, Duration.ofDays(10));
        write("ca.crt", oldCa.certificatePem());
        writeLeaves(oldCa, oldCa.certificatePem());
        IssuedCertificate oldClient = oldCa.issue(CertificateRequest.clientOnly("etcd-operator", DAY), now, oldCa.certificatePem());
        IssuedCertificate newClient = newCa.issue(CertificateRequest.clientOnly("etcd-operator", DAY), now, newCa.certificatePem());
        String bundle = oldCa.certificatePem() + newCa.certificatePem();
        ClientTls oldTls = new ClientTls(bundle, oldClient.certificatePem(), oldClient.privateKeyPem());
        ClientTls newTls = new ClientTls(bundle, newClient.certificatePem(), newClient.privateKeyPem());

        try (EtcdProcess first = EtcdProcess.reserve("rot-0", tls); EtcdProcess second = EtcdProcess.reserve("rot-1", tls)) {
            first.startNewCluster();
            try (EtcdAdmin admin = new JetcdEtcdAdminFactory(Duration.ofSeconds(5)).connect(List.of(first.clientUrl()), oldTls)) {
                MemberAddResult added = admin.addLearner(second.peerUrl());
                second.startJoining(first.name() + "=" + first.peerUrl() + "," + second.name() + "=" + second.peerUrl());
                JetcdEtcdAdminFixture.eventually(Duration.ofSeconds(30), () -> {
                    admin.promote(added.added().id());
                    return null;
                });
            }
            assertThat(answers(first, newTls)).as("a new-CA client before the bundle").isFalse();

            // Stage 1: the bundle, then a restart of each member.
            write("ca.crt", bundle);
            assertThat(answers(first, newTls)).as("a new-CA client with the bundle written, before a restart").isFalse();
            for (EtcdProcess member : List.of(second, first)) {
                restart(member);
            }
            assertThat(answers(first, newTls) && answers(second, newTls)).as("a new-CA client after the restarts").isTrue();

            // Stage 2: leaves from the new CA, no restart: served on both ports at the next handshake.
            writeLeaves(newCa, bundle);
            for (EtcdProcess member : List.of(first, second)) {
                for (String url : List.of(member.clientUrl(), member.peerUrl())) {
                    JetcdEtcdAdminFixture.eventually(Duration.ofSeconds(10), () -> {
                        assertThat(ServedCertificate.at(url, newTls, Duration.ofSeconds(2))).as("served on %s", url)
                                .hasValueSatisfying(c -> assertThat(newCa.signed(c)).isTrue());
                        return null;
                    });
                }
            }

            // Stage 3: the old CA dropped. The first member restarts onto the new CA alone while the second still runs
            // the process that started on old-CA files: replication between them needs the second's reloaded peer certificate.
            write("ca.crt", newCa.certificatePem());
            restart(first);
            ClientTls newOnly = new ClientTls(newCa.certificatePem(), newClient.certificatePem(), newClient.privateKeyPem());
            try (EtcdAdmin admin = new JetcdEtcdAdminFactory(Duration.ofSeconds(5)).connect(List.of(first.clientUrl(), second.clientUrl()), newOnly)) {
                JetcdEtcdAdminFixture.eventually(Duration.ofSeconds(20), () -> {
                    assertThat(admin.isHealthy(first.clientUrl()) && admin.isHealthy(second.clientUrl())).as("both healthy").isTrue();
                    assertThat(admin.status(second.clientUrl()).raftIndex()).isEqualTo(admin.status(first.clientUrl()).raftIndex());
                    return null;
                });
            }
            assertThat(answers(first, oldTls)).as("an old-CA client after the drop").isFalse();
            restart(second);
            assertThat(answers(second, oldTls)).as("an old-CA client after the drop, second member").isFalse();
            assertThat(answers(first, newOnly) && answers(second, newOnly)).as("a new-CA client after the drop").isTrue();
        }
    }

    private void writeLeaves(CertificateAuthority ca, String bundle) throws IOException {
        IssuedCertificate server = ca.issue(new CertificateRequest("server", List.of("localhost"), List.of("127.0.0.1"), true, false, DAY),
                Instant.now(), bundle);
        IssuedCertificate peer = ca.issue(new CertificateRequest("peer", List.of(), List.of("127.0.0.1"), true, true, DAY), Instant.now(), bundle);
        write("server.key", server.privateKeyPem());
        write("server.crt", server.certificatePem());
        write("peer.key", peer.privateKeyPem());
        write("peer.crt", peer.certificatePem());
    }
}
