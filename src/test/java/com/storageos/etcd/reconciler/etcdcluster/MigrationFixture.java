package com.storageos.etcd.reconciler.etcdcluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.spec.BootstrapSpec;
import com.storageos.etcd.api.v1alpha1.spec.EtcdClusterSpec;
import com.storageos.etcd.api.v1alpha1.spec.JoinSpec;
import com.storageos.etcd.api.v1alpha1.spec.JoinTlsSpec;
import com.storageos.etcd.etcdclient.ClientTls;
import com.storageos.etcd.etcdclient.EtcdAdmin;
import com.storageos.etcd.etcdclient.EtcdAdminException;
import com.storageos.etcd.etcdclient.JetcdEtcdAdminFactory;
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
import com.storageos.etcd.reconciler.etcdcluster.members.ClusterConnection;
import com.storageos.etcd.reconciler.etcdcluster.members.EtcdMemberProbe;
import com.storageos.etcd.reconciler.etcdcluster.members.MemberRecognition;
import com.storageos.etcd.reconciler.etcdcluster.members.MemberUrls;
import com.storageos.etcd.reconciler.etcdcluster.members.PeerProbeReader;
import com.storageos.etcd.status.Migrations;
import com.storageos.etcd.status.RecordedMembers;
import com.storageos.etcd.status.StatusComputer;
import com.storageos.etcd.status.StatusInput;
import com.storageos.etcd.testing.EtcdTestCluster;
import io.etcd.jetcd.Client;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.net.URI;
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
import org.junit.jupiter.api.io.TempDir;

/**
 * A migration from an external etcd cluster (three real etcd processes on loopback, started by each test, with data
 * written before) into a 3-member cluster of the operator's, with the real planner, executor, probe and
 * bootstrap tool, local processes standing in for pods, and a writer running throughout. The operator
 * "crashes" right after the first write of every journal entry and migration phase, so each phase is resumed
 * by a fresh planner and executor from the journal and etcd alone. The migration tests share this loop.
 */
abstract class MigrationFixture {
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
    void joinSpec(List<String> endpoints, JoinTlsSpec tls) {
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

    Migration.Phase phase() {
        return Migrations.read(journal.status().getMigration()).map(Migration::phase).orElse(Migration.Phase.Proposed);
    }

    Step lastStep;

    /** Runs the operator loop until {@code done} holds for the planned step. */
    void run(Optional<String> approval, Predicate<Step> done, Duration timeout) throws Exception {
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

    StepResult execute(Step step, EtcdAdmin admin, ClusterObservation obs) {
        return new LocalStepExecution(runner, journal, resource, names, false).execute(step, admin, obs);
    }

    /**
     * As the reconciler connects: our members' URLs, and the external ones until the migration completed, with
     * spec.bootstrap.join.tls's certificate for those.
     */
    EtcdAdmin admin() {
        ClusterConnection connection = connection();
        EtcdAdmin admin = factory.connect(connection.endpoints(), connection.credentials());
        admins.add(admin);
        if (admins.size() > 4) {
            admins.remove(0).close();
        }
        return admin;
    }

    ClusterConnection connection() {
        MigrationInput migration = new MigrationInput(Migrations.read(journal.status().getMigration()), Optional.empty(), true, true);
        return ClusterConnection.of(resource, urls, null, Optional.of(migration), externalTls);
    }

    ClusterObservation observe(EtcdAdmin admin) {
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

    ObservedMember member(int ordinal) {
        return observe(admin()).memberAt(ordinal).orElseThrow();
    }

    void assertEveryKeyReadable(List<String> keys) throws Exception {
        assertEveryKeyReadable(keys, urls.clientUrls(3));
    }

    void assertEveryKeyReadable(List<String> keys, List<String> endpoints) throws Exception {
        assertThat(keys).hasSizeGreaterThan(10);
        try (Client reader = Client.builder().endpoints(endpoints.stream().map(URI::create).toArray(URI[]::new)).build()) {
            for (String key : keys) {
                assertThat(reader.getKVClient().get(ContinuousWriter.bytes(key)).get(2, TimeUnit.SECONDS).getKvs())
                        .as("acknowledged write %s", key).hasSize(1);
            }
        }
    }

    List<String> tail() {
        return steps.subList(Math.max(0, steps.size() - 40), steps.size());
    }
}
