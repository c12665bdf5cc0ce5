package com.storageos.etcd.reconciler.etcdcluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.spec.JoinTlsSpec;
import com.storageos.etcd.api.v1alpha1.status.ConditionReason;
import com.storageos.etcd.desired.TlsSecret;
import com.storageos.etcd.etcdclient.EtcdAdmin;
import com.storageos.etcd.etcdclient.EtcdMember;
import com.storageos.etcd.membership.Migration;
import com.storageos.etcd.membership.Step;
import com.storageos.etcd.reconciler.etcdcluster.certificates.JoinCertificate;
import com.storageos.etcd.reconciler.etcdcluster.members.MemberUrls;
import com.storageos.etcd.status.Migrations;
import com.storageos.etcd.testing.EtcdTestCluster;
import com.storageos.etcd.tls.CertificateAuthority;
import com.storageos.etcd.tls.CertificateCheck;
import com.storageos.etcd.tls.CertificateRequest;
import com.storageos.etcd.tls.IssuedCertificate;
import com.storageos.etcd.tool.backup.SnapshotSource;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Migrations from an external cluster that serves its clients, and its peers, over TLS (see MigrationFixture). */
class MigrationTlsEtcdIT extends MigrationFixture {
    @Test
    void migratesAnExternalClusterThatServesItsClientsOverMutualTls() throws Exception {
        migrateOverTls(false);
    }

    /**
     * Peer TLS too: the external members trust only their CA's peers, so this cluster's peer certificate (spec.tls.peer in
     * existing-Secrets mode) is signed by the external CA, and its ca.crt is that CA, which signed the external peers.
     */
    @Test
    void migratesAnExternalClusterWithPeerTlsOntoPeerCertificatesOfItsCa() throws Exception {
        migrateOverTls(true);
    }

    private void migrateOverTls(boolean peerTls) throws Exception {
        Path tls = Files.createDirectories(volumes.resolve("external-tls"));
        CertificateAuthority externalCa = externalCa(tls);
        if (peerTls) {
            // The peer Secret a user gives this cluster, checked as the operator checks one in existing-Secrets mode.
            IssuedCertificate ours = externalCa.issue(new CertificateRequest("it-migrate-peer", List.of("localhost"),
                    addressing.certificateHosts(names).stream().filter(h -> h.startsWith("127.")).toList(), true, true, Duration.ofDays(1)),
                    Instant.now(), externalCa.certificatePem());
            List<String> required = IntStream.range(0, 3).mapToObj(i -> addressing.memberHost(names, i)).toList();
            assertThat(CertificateCheck.problems(externalCa.certificatePem(), ours.certificatePem(), ours.privateKeyPem(), required, true, true,
                    Instant.now())).isEmpty();
            Path peerSecret = Files.createDirectories(volumes.resolve("peer-secret"));
            Files.writeString(peerSecret.resolve("ca.crt"), externalCa.certificatePem());
            Files.writeString(peerSecret.resolve("tls.crt"), ours.certificatePem());
            Files.writeString(peerSecret.resolve("tls.key"), ours.privateKeyPem());
            runner.close();
            urls = new MemberUrls(names, addressing, true, false);
            runner = new LocalMemberRunner(names, addressing, volumes, journal::status, peerSecret);
        }
        external = EtcdTestCluster.start(3, tls, peerTls, FAST);
        assertThat(external.members()).allMatch(m -> m.peerUrl().startsWith(peerTls ? "https://" : "http://"));
        List<String> externalUrls = external.clientUrls();
        assertThat(externalUrls).allMatch(u -> u.startsWith("https://"));
        JoinTlsSpec joinTls = new JoinTlsSpec();
        joinTls.setSecretName("external-etcd-client");
        joinSpec(externalUrls, joinTls);
        // The Secret the user gives: a client certificate of the external CA, and that CA.
        IssuedCertificate client = externalCa.issue(CertificateRequest.clientOnly("etcd-operator", Duration.ofDays(1)), Instant.now(),
                externalCa.certificatePem());
        Secret secret = TlsSecret.leaf(resource, joinTls.getSecretName(), externalCa.certificatePem(), client.certificatePem(),
                client.privateKeyPem());
        JoinCertificate.Outcome checked = JoinCertificate.check(joinTls, secret, Instant.now());
        assertThat(checked.problems()).isEmpty();
        externalTls = checked.tls();
        List<String> before = ContinuousWriter.writeKeys(externalUrls, externalTls, 200);
        Set<Long> externalIds = admin().listMembers().stream().map(EtcdMember::id).collect(Collectors.toSet());
        long clusterId = admin().clusterId();

        run(Optional.empty(), s -> s instanceof Step.Wait w && w.reason() == ConditionReason.MigrationAwaitingApproval, Duration.ofSeconds(20));
        Migration plan = Migrations.read(journal.status().getMigration()).orElseThrow();
        assertThat(plan.externalIds()).as("the pre-check read every external member over mTLS").isEqualTo(externalIds);
        Optional<String> approval = Optional.of(plan.planId());
        long started = System.nanoTime();
        List<String> acknowledged = new ArrayList<>();
        long externalGap;
        long ourGap;
        // "StorageOS" writes to the external cluster over its mTLS until it is switched, and to ours from then on.
        try (ContinuousWriter storageos = new ContinuousWriter(externalUrls, externalTls)) {
            run(approval, s -> phase().compareTo(Migration.Phase.SwitchingClients) >= 0, Duration.ofSeconds(120));
            assertABackupNowComesFromOurMembers(externalUrls);
            try (ContinuousWriter switched = new ContinuousWriter(urls.clientUrls(3))) {
                run(approval, s -> phase().compareTo(Migration.Phase.RemovingExternalMembers) >= 0, Duration.ofSeconds(60));
                storageos.close();
                run(approval, s -> phase() == Migration.Phase.Completed && s instanceof Step.Converged, Duration.ofSeconds(120));
                Thread.sleep(300);
                switched.close();
                acknowledged.addAll(switched.acknowledged());
                ourGap = switched.longestOutageMillis();
            }
            acknowledged.addAll(storageos.acknowledged());
            externalGap = storageos.longestOutageMillis();
        }
        long took = (System.nanoTime() - started) / 1_000_000;

        List<EtcdMember> members = admin().listMembers();
        assertThat(members).hasSize(3).allSatisfy(m -> assertThat(m.learner()).isFalse());
        assertThat(members).extracting(m -> m.peerUrls().get(0)).containsExactlyInAnyOrder(urls.peerUrl(0), urls.peerUrl(1), urls.peerUrl(2));
        assertThat(members).extracting(EtcdMember::id).doesNotContainAnyElementsOf(externalIds);
        assertThat(admin().clusterId()).as("the same cluster, taken over").isEqualTo(clusterId);
        assertThat(steps).contains("AddLearner", "PromoteLearner", "RemoveMember");
        assertThat(worstQuorumMargin).as("quorum never lost").isGreaterThanOrEqualTo(0);
        assertEveryKeyReadable(before);
        assertEveryKeyReadable(acknowledged);
        assertThat(members).extracting(m -> m.peerUrls().get(0)).allMatch(u -> u.startsWith(peerTls ? "https://" : "http://"));
        System.out.printf("migration IT (external client mTLS%s): 3 external -> 3 operator members in %d ms, %d acknowledged writes,"
                + " longest write gap %d ms on the external cluster until the switch, %d ms on ours after it%n",
                peerTls ? ", peer TLS" : "", took, acknowledged.size(), externalGap, ourGap);
    }

    /**
     * A backup tool of this cluster runs with this cluster's client certificate (here none) and finds the external members,
     * still voters behind their TLS, in the member list: it passes over them to a member of ours.
     */
    private void assertABackupNowComesFromOurMembers(List<String> externalUrls) throws Exception {
        try (EtcdAdmin tool = factory.connect(urls.clientUrls(3))) {
            List<SnapshotSource> sources = SnapshotSource.discover(tool, urls.clientUrls(3));
            assertThat(sources).extracting(SnapshotSource::clientUrl).containsAll(externalUrls).containsAll(urls.clientUrls(3));
            SnapshotSource usable = sources.stream().filter(x -> tool.isHealthy(x.clientUrl())).findFirst().orElseThrow();
            assertThat(usable.clientUrl()).isIn(urls.clientUrls(3));
            assertThat(tool.snapshot(usable.clientUrl(), new ByteArrayOutputStream())).isPositive();
        }
    }

    /** A CA of the external cluster's own, and its members' server and peer certificates for 127.0.0.1, in {@code dir}. */
    private static CertificateAuthority externalCa(Path dir) throws Exception {
        Instant now = Instant.now();
        CertificateAuthority ca = CertificateAuthority.create("external-etcd-ca", now, Duration.ofDays(10));
        IssuedCertificate server = ca.issue(new CertificateRequest("external-server", List.of("localhost"), List.of("127.0.0.1"), true, false,
                Duration.ofDays(1)), now, ca.certificatePem());
        IssuedCertificate peer = ca.issue(new CertificateRequest("external-peer", List.of("localhost"), List.of("127.0.0.1"), true, true,
                Duration.ofDays(1)), now, ca.certificatePem());
        Files.writeString(dir.resolve("peer.crt"), peer.certificatePem());
        Files.writeString(dir.resolve("peer.key"), peer.privateKeyPem());
        Files.writeString(dir.resolve("ca.crt"), ca.certificatePem());
        Files.writeString(dir.resolve("server.crt"), server.certificatePem());
        Files.writeString(dir.resolve("server.key"), server.privateKeyPem());
        return ca;
    }
}
