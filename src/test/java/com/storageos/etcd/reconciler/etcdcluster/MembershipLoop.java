package com.storageos.etcd.reconciler.etcdcluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.etcdclient.EtcdAdmin;
import com.storageos.etcd.etcdclient.JetcdEtcdAdminFactory;
import com.storageos.etcd.membership.ClusterObservation;
import com.storageos.etcd.membership.MembershipPlanner;
import com.storageos.etcd.membership.ObservedMember;
import com.storageos.etcd.membership.PlanInput;
import com.storageos.etcd.membership.PodState;
import com.storageos.etcd.membership.QuorumMath;
import com.storageos.etcd.membership.Step;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.naming.LoopbackMemberAddressing;
import com.storageos.etcd.reconciler.etcdcluster.members.EtcdMemberProbe;
import com.storageos.etcd.reconciler.etcdcluster.members.MemberRecognition;
import com.storageos.etcd.reconciler.etcdcluster.members.MemberUrls;
import com.storageos.etcd.status.RecordedMembers;
import com.storageos.etcd.status.StatusComputer;
import com.storageos.etcd.status.StatusInput;
import io.etcd.jetcd.Client;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
 * The operator's membership loop on real etcd, as the MembershipEtcdIT tests drive it: the real planner, executor and
 * probe over a journal in memory, local etcd processes standing in for pods, quorum tracked after every step.
 */
abstract class MembershipLoop {
    @TempDir
    Path volumes;
    ClusterNames names = new ClusterNames("it-etcd", "test");
    MemberUrls urls;
    InMemoryJournal journal;
    LocalMemberRunner runner;
    JetcdEtcdAdminFactory factory = new JetcdEtcdAdminFactory(Duration.ofSeconds(1));
    EtcdCluster resource = new EtcdCluster();
    int statefulSetReplicas;
    List<String> steps = new ArrayList<>();
    int worstQuorumMargin = Integer.MAX_VALUE;
    boolean trackingQuorum = true;
    List<String> actionsWithoutQuorum = new ArrayList<>();
    Map<String, Long> timings = new LinkedHashMap<>();
    Map<List<String>, EtcdAdmin> admins = new HashMap<>();
    StatusComputer statusComputer = new StatusComputer(Clock.systemUTC());

    @BeforeEach
    void setUp() throws Exception {
        var addressing = new LoopbackMemberAddressing(ThreadLocalRandom.current().nextInt(2, 250), ThreadLocalRandom.current().nextInt(1, 250));
        urls = new MemberUrls(names, addressing, false, false);
        journal = new InMemoryJournal(names);
        runner = new LocalMemberRunner(names, addressing, volumes, journal::status);
        resource.setMetadata(new ObjectMetaBuilder().withName(names.cluster()).withNamespace(names.namespace()).withUid("uid").build());
    }

    @AfterEach
    void tearDown() throws Exception {
        keepLogs();
        runner.close();
        admins.values().forEach(EtcdAdmin::close);
    }

    /** Reconciles until the planner chooses a step that {@code crashAfterRecording} matches; the operator dies after recording it. */
    void reconcileUntil(int replicas, Predicate<Step> crashAfterRecording, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (!crashAfterRecording.test(reconcile(replicas, crashAfterRecording))) {
            assertThat(Instant.now()).as("waiting for the step to crash after; steps so far %s", tail()).isBefore(deadline);
        }
    }

    /** With -Dit.logs=DIR, keeps each member's etcd log and config file for diagnosis. */
    void keepLogs() throws IOException {
        String dir = System.getProperty("it.logs");
        if (dir == null) {
            return;
        }
        Files.createDirectories(Path.of(dir));
        try (var files = Files.walk(volumes)) {
            for (Path f : files.filter(p -> p.getFileName().toString().matches("etcd\\.(log|conf\\.json)")).toList()) {
                Files.copy(f, Path.of(dir, f.getParent().getFileName() + "-" + f.getFileName()),
                        StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** Runs the operator loop until it reports Converged twice in a row. */
    void converge(int replicas, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        int converged = 0;
        while (converged < 2) {
            assertThat(Instant.now()).as("converging to %d members; steps so far %s", replicas, tail()).isBefore(deadline);
            converged = reconcile(replicas) instanceof Step.Converged ? converged + 1 : 0;
        }
    }

    /** One pass of the operator loop: observe, plan, act, write the status, and let the "kubelet" follow. */
    Step reconcile(int replicas) throws Exception {
        return reconcile(replicas, step -> false);
    }

    Step reconcile(int replicas, Predicate<Step> crashAfterRecording) throws Exception {
        EtcdAdmin admin = admin();
        ClusterObservation obs = observe(admin);
        trackQuorum(obs);
        int recordedPods = RecordedMembers.read(journal.status(), new MemberRecognition(urls, names, obs.pods(), false)::ordinalOfRecorded).podCount(journal.journal(), urls::peerUrl);
        Step step = new MembershipPlanner().next(new PlanInput(replicas, obs, journal.journal(),
                journal.status().getClusterId() != null, urls::peerUrl, Duration.ofMinutes(5), recordedPods,
                Optional.empty()));
        steps.add(step instanceof Step.Wait w ? "Wait:" + w.reason() + ":" + w.message()
                : step instanceof Step.Blocked b ? "Blocked:" + b.message() : step.getClass().getSimpleName());
        if (changesMembership(step) && !obs.hasQuorum()) {
            actionsWithoutQuorum.add(step + " with " + obs.members());
        }
        if (crashAfterRecording.test(step)) {
            journal.crashAtNextWrite();
        }
        StepResult result = execute(step, admin, obs);
        if (result.failure() != null) {
            steps.add("refused:" + result.failure());
        }
        statefulSetReplicas = result.statefulSetReplicas().orElse(statefulSetReplicas);
        // As the reconciler does: status.members is what the member pods' bootstrap reads.
        statusComputer.apply(new StatusInput("etcd", replicas, 1, obs, step, result.failure(), result.error(), "selector"), journal.status());
        runner.sync(statefulSetReplicas);
        Thread.sleep(Math.min(result.requeueAfter().toMillis(), 200));
        return step;
    }

    static boolean changesMembership(Step step) {
        return step instanceof Step.AddLearner || step instanceof Step.PromoteLearner || step instanceof Step.RemoveMember
                || step instanceof Step.MoveLeader;
    }

    StepResult execute(Step step, EtcdAdmin admin, ClusterObservation obs) {
        return new LocalStepExecution(runner, journal, resource, names, true).execute(step, admin, obs);
    }

    ClusterObservation observe(EtcdAdmin admin) {
        // As the operator probes: every endpoint a member may answer at, against the cluster ID the status records.
        Optional<EtcdMemberProbe.Probed> probed = new EtcdMemberProbe().probe("test/cluster", admin,
                new MemberRecognition(urls, names, Map.of(), false)::ordinalOf, urls.clientUrls(5),
                Optional.ofNullable(journal.status().getClusterId()).map(id -> Long.parseUnsignedLong(id, 16)));
        Optional<List<ObservedMember>> members = probed.map(EtcdMemberProbe.Probed::members);
        Map<Integer, PodState> pods = IntStream.range(0, statefulSetReplicas).filter(runner::exists).boxed()
                .collect(Collectors.toMap(i -> i, runner::pod));
        Set<Integer> claims = IntStream.range(0, 10).filter(i -> volumes.resolve(names.member(i)).toFile().exists()).boxed()
                .collect(Collectors.toSet());
        return new ClusterObservation(members.isPresent(), members.orElse(List.of()), pods, statefulSetReplicas, claims, Set.of(), 0, Instant.now(),
                "", probed.flatMap(EtcdMemberProbe.Probed::disagreement));
    }

    EtcdAdmin admin() {
        return admins.computeIfAbsent(urls.clientUrls(5), factory::connect);
    }

    void trackQuorum(ClusterObservation obs) {
        if (trackingQuorum && obs.etcdReachable() && journal.status().getClusterId() != null && !obs.voters().isEmpty()) {
            worstQuorumMargin = Math.min(worstQuorumMargin, (int) obs.healthyVoters() - QuorumMath.quorum(obs.voters().size()));
        }
    }

    ObservedMember member(int ordinal) {
        return observe(admin()).memberAt(ordinal).orElseThrow();
    }

    void assertMembers(int n) {
        ClusterObservation obs = observe(admin());
        assertThat(obs.members()).hasSize(n).allSatisfy(m -> {
            assertThat(m.learner()).isFalse();
            assertThat(m.healthy()).isTrue();
        });
        assertThat(obs.members()).extracting(ObservedMember::ordinal).containsExactlyElementsOf(IntStream.range(0, n).boxed().toList());
        assertThat(statefulSetReplicas).isEqualTo(n);
        assertThat(journal.journal()).isEmpty();
    }

    void assertEveryAcknowledgedWriteReadable(List<String> keys) throws Exception {
        assertThat(keys).hasSizeGreaterThan(10);
        try (Client reader = Client.builder().endpoints(urls.clientUrls(3).stream().map(URI::create).toArray(URI[]::new)).build()) {
            for (String key : keys) {
                assertThat(reader.getKVClient().get(ContinuousWriter.bytes(key)).get(2, TimeUnit.SECONDS).getKvs())
                        .as("acknowledged write %s", key).hasSize(1);
            }
        }
    }

    List<String> tail() {
        return steps.subList(0, Math.min(steps.size(), 40));
    }
}
