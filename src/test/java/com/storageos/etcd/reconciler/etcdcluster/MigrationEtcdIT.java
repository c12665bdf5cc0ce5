package com.storageos.etcd.reconciler.etcdcluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.spec.BootstrapSpec;
import com.storageos.etcd.api.v1alpha1.spec.EtcdClusterSpec;
import com.storageos.etcd.api.v1alpha1.spec.JoinSpec;
import com.storageos.etcd.api.v1alpha1.spec.JoinTlsSpec;
import com.storageos.etcd.api.v1alpha1.spec.PeerAddressing;
import com.storageos.etcd.api.v1alpha1.status.ConditionReason;
import com.storageos.etcd.desired.TlsSecret;
import com.storageos.etcd.etcdclient.ClientTls;
import com.storageos.etcd.etcdclient.EtcdAdmin;
import com.storageos.etcd.etcdclient.EtcdAdminException;
import com.storageos.etcd.etcdclient.EtcdMember;
import com.storageos.etcd.etcdclient.JetcdEtcdAdminFactory;
import com.storageos.etcd.etcdclient.MemberAddResult;
import com.storageos.etcd.etcdclient.MetricsPeerRoundTrips;
import com.storageos.etcd.membership.ClusterObservation;
import com.storageos.etcd.membership.MembershipPlanner;
import com.storageos.etcd.membership.Migration;
import com.storageos.etcd.membership.MigrationInput;
import com.storageos.etcd.membership.ObservedMember;
import com.storageos.etcd.membership.PlanInput;
import com.storageos.etcd.membership.PodState;
import com.storageos.etcd.membership.QuorumMath;
import com.storageos.etcd.membership.Step;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.naming.LoopbackMemberAddressing;
import com.storageos.etcd.reconciler.etcdcluster.certificates.JoinCertificate;
import com.storageos.etcd.reconciler.etcdcluster.members.ClusterConnection;
import com.storageos.etcd.reconciler.etcdcluster.members.EtcdMemberProbe;
import com.storageos.etcd.reconciler.etcdcluster.members.MemberRecognition;
import com.storageos.etcd.reconciler.etcdcluster.members.MemberUrls;
import com.storageos.etcd.reconciler.etcdcluster.members.PeerProbeReader;
import com.storageos.etcd.status.Migrations;
import com.storageos.etcd.status.RecordedMembers;
import com.storageos.etcd.status.StatusComputer;
import com.storageos.etcd.status.StatusInput;
import com.storageos.etcd.testing.EtcdProcess;
import com.storageos.etcd.testing.EtcdTestCluster;
import com.storageos.etcd.tls.CertificateAuthority;
import com.storageos.etcd.tls.CertificateCheck;
import com.storageos.etcd.tls.CertificateRequest;
import com.storageos.etcd.tls.IssuedCertificate;
import com.storageos.etcd.tool.backup.SnapshotSource;
import io.etcd.jetcd.Client;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A migration from an external etcd cluster (three real etcd processes on loopback, started here, with data
 * written before) into a 3-member cluster of the operator's, with the real planner, executor, probe and
 * bootstrap tool, local processes standing in for pods, and a writer running throughout. The operator
 * "crashes" right after the first write of every journal entry and migration phase, so each phase is resumed
 * by a fresh planner and executor from the journal and etcd alone.
 */
class MigrationEtcdIT {
    static final String[] FAST = {"--heartbeat-interval=50", "--election-timeout=500", "--log-level=warn"};
    @TempDir
    Path volumes;
    ClusterNames names = new ClusterNames("it-migrate", "test");
    MemberUrls urls;
    InMemoryJournal journal;
    LocalMemberRunner runner;
    EtcdTestCluster external;
    JetcdEtcdAdminFactory factory = new JetcdEtcdAdminFactory(Duration.ofSeconds(1));
    EtcdCluster resource = new EtcdCluster();
    int statefulSetReplicas;
    List<String> steps = new ArrayList<>();
    int worstQuorumMargin = Integer.MAX_VALUE;
    List<EtcdAdmin> admins = new ArrayList<>();
    StatusComputer statusComputer = new StatusComputer(Clock.systemUTC());
    /** spec.bootstrap.join.tls's certificate as the operator checked it; null while the external cluster is plain. */
    ClientTls externalTls;
    /** spec.bootstrap.join.peerAddressing is PodIP. */
    boolean podIpPeers;

    LoopbackMemberAddressing addressing;

    PeerProbeReader peerProbes = new PeerProbeReader(new MetricsPeerRoundTrips(Duration.ofSeconds(1)));
    /** When the planner first chose the rollback, and when etcd first listed no member of ours after it. */
    Instant failedAt;
    Instant wholeAgainAt;

    @BeforeEach
    void setUp() throws Exception {
        addressing = new LoopbackMemberAddressing(ThreadLocalRandom.current().nextInt(2, 250), ThreadLocalRandom.current().nextInt(1, 250));
        urls = new MemberUrls(names, addressing, false, false);
        journal = new InMemoryJournal(names);
        runner = new LocalMemberRunner(names, addressing, volumes, journal::status);
        resource.setMetadata(new ObjectMetaBuilder().withName(names.cluster()).withNamespace(names.namespace()).withUid("uid").build());
        resource.setSpec(new EtcdClusterSpec());
        resource.setStatus(journal.status());
    }

    /** spec.bootstrap.join of the EtcdCluster, as the user writes it. */
    private void joinSpec(List<String> endpoints, JoinTlsSpec tls) {
        JoinSpec join = new JoinSpec();
        join.setEndpoints(endpoints);
        join.setTls(tls);
        BootstrapSpec bootstrap = new BootstrapSpec();
        bootstrap.setJoin(join);
        resource.getSpec().setBootstrap(bootstrap);
    }

    @AfterEach
    void tearDown() {
        runner.close();
        admins.forEach(EtcdAdmin::close);
        if (external != null) {
            external.close();
        }
    }

    @Test
    void migratesAThreeMemberExternalClusterWithARestartAtEveryPhaseAndLosesNoWrite() throws Exception {
        external = EtcdTestCluster.start(3, FAST);
        List<String> externalUrls = external.clientUrls();
        joinSpec(externalUrls, null);
        List<String> before = ContinuousWriter.writeKeys(externalUrls, 200);
        EtcdAdmin admin = admin();
        Set<Long> externalIds = admin.listMembers().stream().map(EtcdMember::id).collect(Collectors.toSet());
        long externalLeader = observe(admin).leader().orElseThrow().id();
        long clusterId = admin.clusterId();
        journal.crashOnceAfterEveryNewState();

        // Without approval the plan is shown and nothing else happens.
        run(Optional.empty(), s -> s instanceof Step.Wait w && w.reason() == ConditionReason.MigrationAwaitingApproval, Duration.ofSeconds(20));
        Migration plan = Migrations.read(journal.status().getMigration()).orElseThrow();
        assertThat(plan.phase()).isEqualTo(Migration.Phase.Proposed);
        assertThat(admin.listMembers()).extracting(EtcdMember::id).containsExactlyInAnyOrderElementsOf(externalIds);
        assertThat(statefulSetReplicas).as("no pod before approval").isZero();

        List<String> all = new ArrayList<>(externalUrls);
        all.addAll(urls.clientUrls(3));
        long started;
        long took;
        try (ContinuousWriter writer = new ContinuousWriter(all)) {
            Thread.sleep(300);
            started = System.nanoTime();
            run(Optional.of(plan.planId()), s -> Migrations.read(journal.status().getMigration())
                    .filter(m -> m.phase() == Migration.Phase.Completed).isPresent() && s instanceof Step.Converged, Duration.ofSeconds(120));
            took = (System.nanoTime() - started) / 1_000_000;
            Thread.sleep(300);
            writer.close();

            List<EtcdMember> members = admin().listMembers();
            assertThat(members).hasSize(3).allSatisfy(m -> assertThat(m.learner()).isFalse());
            assertThat(members).extracting(m -> m.peerUrls().get(0)).containsExactlyInAnyOrder(urls.peerUrl(0), urls.peerUrl(1), urls.peerUrl(2));
            assertThat(members).extracting(EtcdMember::id).doesNotContainAnyElementsOf(externalIds).doesNotContain(externalLeader);
            assertThat(admin().clusterId()).as("the same cluster, taken over").isEqualTo(clusterId);
            assertThat(journal.status().getClusterId()).isEqualTo(Long.toHexString(clusterId));
            assertThat(steps).contains("AddLearner", "PromoteLearner", "MoveLeader", "RemoveMember");
            assertThat(worstQuorumMargin).as("quorum never lost").isGreaterThanOrEqualTo(0);
            assertEveryKeyReadable(before);
            assertEveryKeyReadable(writer.acknowledged());
            assertThat(journal.crashedAfter).as("a restart after every phase").contains(
                    "ScaleUp/AddRequested/0/null migration Joining", "ScaleUp/MemberAdded/2/" + Long.toHexString(member(2).id()) + " migration Joining",
                    "no journal migration SwitchingClients", "no journal migration AwaitingStorageOSRestart", "no journal migration RemovingExternalMembers", "no journal migration Completed")
                    .anySatisfy(s -> assertThat(s).startsWith("RemoveExternal/RemoveRequested/-1/"));
            System.out.printf("migration IT: 3 external -> 3 operator members in %d ms (%d restarts: %s)%n", took, journal.crashes,
                    journal.crashedAfter);
            System.out.printf("migration IT: %d acknowledged writes, longest write gap %d ms, worst quorum margin %d%n",
                    writer.acknowledged().size(), writer.longestOutageMillis(), worstQuorumMargin);
        }
        System.out.printf("migration IT: hand floor (the same etcd calls scripted: 3x add learner, start, promote; move leader;"
                + " 3x remove) %d ms%n", handFloorMillis());
    }

    @Test
    void anExternalMemberThatCannotReachANewMemberFailsTheMigrationWhichIsRolledBackWithARestartAtEveryPhaseAndRetried() throws Exception {
        external = EtcdTestCluster.start(3, FAST);
        List<String> externalUrls = external.clientUrls();
        joinSpec(externalUrls, null);
        EtcdAdmin admin = admin();
        List<EtcdMember> membersBefore = admin.listMembers();
        run(Optional.empty(), s -> s instanceof Step.Wait w && w.reason() == ConditionReason.MigrationAwaitingApproval, Duration.ofSeconds(20));
        Migration plan = Migrations.read(journal.status().getMigration()).orElseThrow();
        runner.listenForPeersElsewhere(1);
        journal.crashOnceAfterEveryNewState();
        List<String> all = new ArrayList<>(externalUrls);
        all.addAll(urls.clientUrls(3));
        try (ContinuousWriter writer = new ContinuousWriter(all)) {
            Instant approved = Instant.now();
            run(Optional.of(plan.planId()), s -> s instanceof Step.Blocked b && b.reason() == ConditionReason.MigrationPeerUnreachable,
                    Duration.ofSeconds(150));
            writer.close();
            Step.Blocked failed = (Step.Blocked) lastStep;
            assertThat(failed.message()).contains("never reached new member " + urls.peerUrl(1), "external member ", "rolled back",
                    "as it was before the approval", "To retry", Migration.APPROVAL_ANNOTATION + "=");
            assertThat(journal.status().getConditions()).anySatisfy(c -> {
                assertThat(c.getType()).isEqualTo("Degraded");
                assertThat(c.getStatus()).isEqualTo("True");
                assertThat(c.getReason()).isEqualTo("MigrationPeerUnreachable");
            });
            assertThat(Migrations.read(journal.status().getMigration()).orElseThrow().phase()).isEqualTo(Migration.Phase.Failed);
            assertThat(admin().listMembers()).as("the external cluster as it was").containsExactlyInAnyOrderElementsOf(membersBefore);
            assertThat(journal.status().getPendingChange()).isNull();
            assertThat(statefulSetReplicas).as("this cluster's pods stopped").isZero();
            assertThat(volumes.resolve(names.member(0))).as("its volumes kept").isDirectory();
            assertThat(steps).as("member 0 joined and voted before member 1 failed").contains("PromoteLearner", "RemoveMember");
            assertThat(journal.crashedAfter).as("a restart after every rollback phase").contains("no journal migration RollingBack",
                    "no journal migration Failed").anySatisfy(x -> assertThat(x).startsWith("RollBackMigration/RemoveRequested/1/"))
                    .anySatisfy(x -> assertThat(x).startsWith("RollBackMigration/RemoveRequested/0/"));
            assertThat(worstQuorumMargin).as("quorum never lost").isGreaterThanOrEqualTo(0);
            assertEveryKeyReadable(writer.acknowledged(), externalUrls);
            System.out.printf("migration IT: peer unreachable: approval to failure %d ms, failure to external cluster whole %d ms, to Failed"
                    + " %d ms; %d acknowledged writes, longest write gap %d ms (restarts: %s)%n", Duration.between(approved, failedAt).toMillis(),
                    Duration.between(failedAt, wholeAgainAt).toMillis(),
                    Duration.between(failedAt, Instant.now()).toMillis(), writer.acknowledged().size(), writer.longestOutageMillis(),
                    journal.crashedAfter);

            // The failed plan's approval approves nothing; once the cause is fixed, the retry plan's does, on the kept volumes.
            run(Optional.of(plan.planId()), s -> s instanceof Step.Blocked b && b.reason() == ConditionReason.MigrationPeerUnreachable,
                    Duration.ofSeconds(10));
            assertThat(statefulSetReplicas).isZero();
            String retry = failed.message().replaceAll("(?s).*" + Migration.APPROVAL_ANNOTATION + "=(\\w+).*", "$1");
            assertThat(retry).isNotEqualTo(plan.planId());
            runner.listenForPeersWhereAdvertised(1);
            run(Optional.of(retry), s -> Migrations.read(journal.status().getMigration()).filter(m -> m.phase() == Migration.Phase.Completed)
                    .isPresent() && s instanceof Step.Converged, Duration.ofSeconds(120));
            assertThat(admin().listMembers()).extracting(m -> m.peerUrls().get(0))
                    .containsExactlyInAnyOrder(urls.peerUrl(0), urls.peerUrl(1), urls.peerUrl(2));
            assertEveryKeyReadable(writer.acknowledged());
        }
    }

    @Test
    void anUnhealthyExternalClusterIsRefusedAndNothingIsTouched() throws Exception {
        external = EtcdTestCluster.start(3, FAST);
        joinSpec(external.clientUrls(), null);
        List<EtcdMember> membersBefore = admin().listMembers();
        external.member(2).kill();
        // Even with an approval already set, a refusal starts nothing.
        run(Optional.of("anything"), s -> s instanceof Step.Blocked b && b.reason() == ConditionReason.MigrationRefused, Duration.ofSeconds(30));
        Step.Blocked refused = (Step.Blocked) lastStep;
        assertThat(refused.message()).contains("is not healthy", "nothing was changed");
        assertThat(journal.status().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("Degraded");
            assertThat(c.getReason()).isEqualTo("MigrationRefused");
        });
        assertThat(admin().listMembers()).containsExactlyInAnyOrderElementsOf(membersBefore);
        assertThat(journal.status().getPendingChange()).isNull();
        assertThat(journal.status().getMigration()).as("no plan for a cluster that cannot be migrated").isNull();
        assertThat(statefulSetReplicas).isZero();
    }

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
     * spec.bootstrap.join.peerAddressing PodIP: the "pods" listen on loopback addresses of their own as pod IPs, a new one at every
     * start. While the external members exist they see our members at those IPs, a restarted member's URL follows its new IP,
     * and at the end every member is back at its DNS peer URL, with no acknowledged write lost and quorum kept throughout.
     */
    @Test
    void podIpPeerUrlsWhileExternalMembersExistThenTheDnsNames() throws Exception {
        podIpPeers = true;
        runner.close();
        runner = new LocalMemberRunner(names, addressing, volumes, journal::status).withPodIps();
        external = EtcdTestCluster.start(3, FAST);
        List<String> externalUrls = external.clientUrls();
        joinSpec(externalUrls, null);
        resource.getSpec().getBootstrap().getJoin().setPeerAddressing(PeerAddressing.PodIP);
        List<String> before = ContinuousWriter.writeKeys(externalUrls, 200);
        run(Optional.empty(), s -> s instanceof Step.Wait w && w.reason() == ConditionReason.MigrationAwaitingApproval, Duration.ofSeconds(20));
        Migration plan = Migrations.read(journal.status().getMigration()).orElseThrow();
        Optional<String> approval = Optional.of(plan.planId());
        List<String> all = new ArrayList<>(externalUrls);
        all.addAll(urls.clientUrls(3));
        long started = System.nanoTime();
        List<String> acknowledged;
        long gap;
        String movedIp;
        try (ContinuousWriter writer = new ContinuousWriter(all)) {
            run(approval, s -> phase().compareTo(Migration.Phase.SwitchingClients) >= 0, Duration.ofSeconds(120));
            assertThat(externalView(externalUrls)).as("the external members see our members at their pods' IPs")
                    .containsAll(IntStream.range(0, 3).mapToObj(this::podIpPeerUrl).toList());
            assertThat(steps).as("each learner's pod started before its add, which was at the pod's IP: no URL was updated")
                    .contains("StartMember", "AddLearner", "PromoteLearner").doesNotContain("UpdatePeerUrl");
            assertThat(steps.indexOf("StartMember")).isLessThan(steps.indexOf("AddLearner"));

            String oldIp = runner.podIp(1);
            runner.kill(1);
            run(approval, s -> !runner.podIp(1).equals(oldIp) && externalView(externalUrls).contains(podIpPeerUrl(1))
                    && member(1).healthy(), Duration.ofSeconds(60));
            movedIp = runner.podIp(1);
            assertThat(externalView(externalUrls)).as("while the external members exist").hasSize(6);

            run(approval, s -> phase() == Migration.Phase.Completed && s instanceof Step.Converged, Duration.ofSeconds(120));
            Thread.sleep(300);
            writer.close();
            acknowledged = writer.acknowledged();
            gap = writer.longestOutageMillis();
        }
        long took = (System.nanoTime() - started) / 1_000_000;
        List<EtcdMember> members = admin().listMembers();
        assertThat(members).extracting(m -> m.peerUrls().get(0)).as("every member back at its DNS peer URL")
                .containsExactlyInAnyOrder(urls.peerUrl(0), urls.peerUrl(1), urls.peerUrl(2));
        assertThat(worstQuorumMargin).as("quorum never lost").isGreaterThanOrEqualTo(0);
        assertEveryKeyReadable(before);
        assertEveryKeyReadable(acknowledged);
        // A member whose peer URL etcd changed by member update starts again on its data (etcd 3.4 keeps the membership's URL).
        runner.kill(2);
        run(approval, s -> runner.exists(2) && member(2).healthy(), Duration.ofSeconds(60));
        System.out.printf("migration IT (peerAddressing PodIP): 3 external -> 3 operator members in %d ms, %d peer URL updates,"
                + " member 1 followed to %s, %d acknowledged writes, longest write gap %d ms%n", took,
                steps.stream().filter("UpdatePeerUrl"::equals).count(), movedIp, acknowledged.size(), gap);
    }

    private String podIpPeerUrl(int ordinal) {
        return "http://" + runner.podIp(ordinal) + ":2380";
    }

    /** The peer URLs in the member list as an external member answers it. */
    private List<String> externalView(List<String> externalUrls) {
        try (EtcdAdmin one = factory.connect(externalUrls)) {
            return one.listMembers().stream().map(m -> m.peerUrls().get(0)).toList();
        }
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

    private Migration.Phase phase() {
        return Migrations.read(journal.status().getMigration()).map(Migration::phase).orElse(Migration.Phase.Proposed);
    }

    Step lastStep;

    /** Runs the operator loop until {@code done} holds for the planned step. */
    private void run(Optional<String> approval, Predicate<Step> done, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            assertThat(Instant.now()).as("steps so far %s", tail()).isBefore(deadline);
            EtcdAdmin admin = admin();
            ClusterObservation obs = observe(admin);
            if (obs.etcdReachable() && !obs.voters().isEmpty()) {
                worstQuorumMargin = Math.min(worstQuorumMargin, (int) obs.healthyVoters() - QuorumMath.quorum(obs.voters().size()));
            }
            int recordedPods = RecordedMembers.read(journal.status(), new MemberRecognition(urls, names, obs.pods(), podIpPeers)::ordinalOfRecorded).podCount(journal.journal(), urls::peerUrl);
            MigrationInput migration = new MigrationInput(Migrations.read(journal.status().getMigration()), approval, true, true, podIpPeers);
            if (migration.joining()) {
                migration = migration.withPeerProbes(peerProbes.read(obs, journal.journal(), connection().credentials()));
            }
            if (failedAt != null && wholeAgainAt == null && obs.etcdReachable() && obs.members().stream().allMatch(m -> m.ordinal() < 0)) {
                wholeAgainAt = Instant.now();
            }
            Step step = new MembershipPlanner().next(new PlanInput(3, obs, journal.journal(), journal.status().getClusterId() != null,
                    urls::peerUrl, Duration.ofMinutes(5), recordedPods, Optional.empty(), Optional.of(migration)));
            if (failedAt == null && step instanceof Step.MigrationProgress p && p.next().phase() == Migration.Phase.RollingBack) {
                failedAt = Instant.now();
            }
            lastStep = step;
            steps.add(step instanceof Step.Wait w ? "Wait:" + w.reason() : step instanceof Step.Blocked b ? "Blocked:" + b.message()
                    : step.getClass().getSimpleName());
            if (done.test(step)) {
                statusComputer.apply(new StatusInput("etcd", 3, 1, obs, step, null, null, "selector"), journal.status());
                return;
            }
            StepResult result = execute(step, admin, obs);
            // As the reconciler applies it: the step's count when it set one, else what the recorded members need.
            statefulSetReplicas = result.statefulSetReplicas().orElse(recordedPods);
            if (!(step instanceof Step.RetireOrdinal)) {
                assertThat(statefulSetReplicas).as("the StatefulSet keeps a pod for every member etcd lists (%s); steps so far %s",
                        obs.members(), tail()).isGreaterThanOrEqualTo(obs.memberPodCount());
            }
            statusComputer.apply(new StatusInput("etcd", 3, 1, obs, step, result.failure(), result.error(), "selector"), journal.status());
            runner.sync(statefulSetReplicas);
            Thread.sleep(Math.min(result.requeueAfter().toMillis(), 200));
        }
    }

    private StepResult execute(Step step, EtcdAdmin admin, ClusterObservation obs) {
        return new LocalStepExecution(runner, journal, resource, names, false).execute(step, admin, obs);
    }

    /**
     * As the reconciler connects: our members' URLs, and the external ones until the migration completed, with
     * spec.bootstrap.join.tls's certificate for those.
     */
    private EtcdAdmin admin() {
        ClusterConnection connection = connection();
        EtcdAdmin admin = factory.connect(connection.endpoints(), connection.credentials());
        admins.add(admin);
        if (admins.size() > 4) {
            admins.remove(0).close();
        }
        return admin;
    }

    private ClusterConnection connection() {
        MigrationInput migration = new MigrationInput(Migrations.read(journal.status().getMigration()), Optional.empty(), true, true);
        return ClusterConnection.of(resource, urls, null, Optional.of(migration), externalTls);
    }

    private ClusterObservation observe(EtcdAdmin admin) {
        Map<Integer, PodState> pods = IntStream.range(0, statefulSetReplicas).filter(runner::exists).boxed()
                .collect(Collectors.toMap(i -> i, runner::pod));
        Optional<List<ObservedMember>> members = new EtcdMemberProbe().probe("test/cluster", admin, new MemberRecognition(urls, names, pods, podIpPeers)::ordinalOf, List.of(), Optional.empty())
                .map(EtcdMemberProbe.Probed::members);
        Set<Integer> claims = IntStream.range(0, 10).filter(i -> volumes.resolve(names.member(i)).toFile().exists()).boxed()
                .collect(Collectors.toSet());
        long id;
        try {
            id = admin.clusterId();
        } catch (EtcdAdminException e) {
            id = 0;
        }
        return new ClusterObservation(members.isPresent(), members.orElse(List.of()), pods, statefulSetReplicas, claims, Set.of(), id, Instant.now(), "", Optional.empty());
    }

    private ObservedMember member(int ordinal) {
        return observe(admin()).memberAt(ordinal).orElseThrow();
    }

    private void assertEveryKeyReadable(List<String> keys) throws Exception {
        assertEveryKeyReadable(keys, urls.clientUrls(3));
    }

    private void assertEveryKeyReadable(List<String> keys, List<String> endpoints) throws Exception {
        assertThat(keys).hasSizeGreaterThan(10);
        try (Client reader = Client.builder().endpoints(endpoints.stream().map(URI::create).toArray(URI[]::new)).build()) {
            for (String key : keys) {
                assertThat(reader.getKVClient().get(ContinuousWriter.bytes(key)).get(2, TimeUnit.SECONDS).getKvs())
                        .as("acknowledged write %s", key).hasSize(1);
            }
        }
    }

    /** The manual procedure's etcd calls in a tight loop (retrying only what etcd refuses as transient), for the figures. */
    private static long handFloorMillis() throws Exception {
        try (EtcdTestCluster old = EtcdTestCluster.start(3, FAST);
             EtcdAdmin admin = new JetcdEtcdAdminFactory(Duration.ofSeconds(1)).connect(old.clientUrls())) {
            List<Long> oldIds = admin.listMembers().stream().map(EtcdMember::id).toList();
            long start = System.nanoTime();
            List<Long> newIds = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                EtcdProcess next = old.reserveMember();
                MemberAddResult added = retry(() -> admin.addLearner(next.peerUrl()));
                old.join(next, added.members(), FAST);
                retry(() -> {
                    admin.promote(added.added().id());
                    return null;
                });
                newIds.add(added.added().id());
            }
            // One client over old and new members: a leader move must reach the (old) leader, the removals any new member.
            try (EtcdAdmin both = new JetcdEtcdAdminFactory(Duration.ofSeconds(1)).connect(old.clientUrls())) {
                long leader = both.status(old.member(3).clientUrl()).leaderId();
                if (oldIds.contains(leader)) {
                    retry(() -> {
                        both.moveLeader(newIds.get(0));
                        return null;
                    });
                }
            }
            // Removals through the new members only: a removed member answers "raft: stopped" until it exits.
            try (EtcdAdmin fresh = new JetcdEtcdAdminFactory(Duration.ofSeconds(1))
                    .connect(old.members().subList(3, 6).stream().map(EtcdProcess::clientUrl).toList())) {
                for (long id : oldIds) {
                    retry(() -> {
                        fresh.remove(id);
                        return null;
                    });
                }
            }
            return (System.nanoTime() - start) / 1_000_000;
        }
    }

    private interface Call<T> {
        T call();
    }

    private static <T> T retry(Call<T> call) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (true) {
            try {
                return call.call();
            } catch (EtcdAdminException e) {
                if (!e.isTransient() || Instant.now().isAfter(deadline)) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
    }

    private List<String> tail() {
        return steps.subList(Math.max(0, steps.size() - 40), steps.size());
    }
}
