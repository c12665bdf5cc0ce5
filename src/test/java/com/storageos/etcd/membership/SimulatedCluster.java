package com.storageos.etcd.membership;

import com.storageos.etcd.membership.Journal.Phase;
import com.storageos.etcd.tool.bootstrap.BootstrapPlanner;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A small in-memory world for driving the planner: etcd's member list, the StatefulSet and its
 * pods, volumes, the journal in the status, and a clock. {@link #apply} does what the step executor
 * and etcd would do with a step; {@link #settle} does what the StatefulSet controller and the member
 * pods' bootstrap init containers (the real {@link BootstrapPlanner}) would do afterwards.
 */
final class SimulatedCluster {
    static final Duration TICK = Duration.ofSeconds(5);

    private final Map<Integer, SimulatedBootstrap.SimPod> pods = new HashMap<>();
    private final SimulatedMembers members = new SimulatedMembers(o -> pods.containsKey(o) && pods.get(o).running);
    private final Set<Integer> claims = new HashSet<>();
    private final SimulatedBootstrap volumes = new SimulatedBootstrap();
    private final Set<Integer> hangingPods = new HashSet<>();
    private int statefulSetReplicas = -1;
    private Optional<Journal> journal = Optional.empty();
    private boolean clusterFormed;
    private boolean crashAfterActing;
    private Instant now = Cluster.T0;

    // ---- observing and planning ----

    ClusterObservation observe() {
        List<ObservedMember> observed = members.all().stream().map(members::observed).toList();
        Map<Integer, PodState> podStates = pods.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                e -> new PodState(e.getKey(), e.getValue().running && memberAt(e.getKey()).isPresent(), false,
                        e.getValue().reportedDataLoss, true, e.getValue().crashLooping)));
        boolean reachable = members.anyHealthy();
        return new ClusterObservation(reachable, reachable ? observed : List.of(), podStates, statefulSetReplicas, claims, Set.of(), 0, now, "", Optional.empty());
    }

    PlanInput input(int desiredReplicas) {
        RecordedMembership recorded = new RecordedMembership(members.ordinals(), members.voters());
        return new PlanInput(desiredReplicas, observe(), journal, clusterFormed, Cluster::peerUrl, Cluster.LEARNER_DEADLINE,
                recorded.podCount(journal, Cluster::peerUrl), Optional.empty());
    }

    // ---- the executor and etcd ----

    /** Carries out one step; in crash mode the executor dies after acting, before its journal write. */
    void apply(Step step) {
        switch (step) {
            case Step.Bootstrap b -> {
                journal = Optional.of(b.journal());
                statefulSetReplicas = b.podCount();
            }
            case Step.StartMember s -> statefulSetReplicas = s.podCount();
            case Step.RetireOrdinal r -> statefulSetReplicas = r.podCount();
            case Step.RestartPod r -> pods.remove(r.ordinal());
            case Step.AddLearner a -> addLearner(a.journal());
            case Step.PromoteLearner p -> promote(p.memberId());
            case Step.MoveLeader m -> members.moveLeader(m.toId());
            case Step.RemoveMember r -> removeMember(r.journal());
            case Step.ReleaseVolume v -> {
                claims.remove(v.ordinal());
                volumes.empty(v.ordinal());
                recordAfterActing(Optional.empty());
            }
            case Step.RecordJournal r -> journal = r.next();
            case Step.ClusterFormed _ -> {
                journal = Optional.empty();
                clusterFormed = true;
            }
            default -> { } // waits, refusals and the steps of recovery and migration change nothing simulated here
        }
        now = now.plus(TICK);
        settle();
    }

    private void addLearner(Journal intent) {
        journal = Optional.of(intent);
        if (members.all().stream().anyMatch(m -> Cluster.peerUrl(m.ordinal).equals(intent.peerUrl()))) {
            return; // etcd: peer URL exists; the executor requeues and the next plan adopts it
        }
        if (members.all().stream().anyMatch(m -> !m.learner && !members.healthy(m))) {
            return; // etcd's strict reconfiguration check: "unhealthy cluster" while a voter is not connected
        }
        SimulatedMembers.Member added = members.add(intent.ordinal(), true);
        recordAfterActing(Optional.of(intent.withPhase(Phase.MemberAdded, added.id, now)));
    }

    private void promote(long id) {
        SimulatedMembers.Member m = members.get(id);
        if (m == null || !m.learner || !members.healthy(m)) {
            return; // etcd refuses: learner not ready; the executor maps that to a short wait
        }
        m.learner = false;
        recordAfterActing(Optional.empty());
    }

    private void removeMember(Journal intent) {
        journal = Optional.of(intent);
        SimulatedMembers.Member removed = members.remove(intent.memberId());
        if (removed != null && removed.leader) {
            members.electLeader();
        }
        Phase next = intent.operation() == Journal.Operation.ReplaceMember ? Phase.AddRequested : Phase.MemberRemoved;
        recordAfterActing(Optional.of(intent.withPhase(next, 0, now)));
    }

    private void recordAfterActing(Optional<Journal> next) {
        if (!crashAfterActing) {
            journal = next;
        }
    }

    // ---- the StatefulSet controller, the kubelet and the bootstrap init containers ----

    void settle() {
        pods.keySet().removeIf(ordinal -> ordinal >= statefulSetReplicas);
        for (int ordinal = 0; ordinal < statefulSetReplicas; ordinal++) {
            if (!pods.containsKey(ordinal)) {
                pods.put(ordinal, new SimulatedBootstrap.SimPod());
                claims.add(ordinal);
            }
        }
        pods.forEach((ordinal, pod) -> {
            if (!pod.running && !pod.reportedDataLoss && !pod.crashLooping && !hangingPods.contains(ordinal)) {
                volumes.start(ordinal, pod, members, journal, clusterFormed);
            }
        });
        if (!members.hasHealthyLeader()) {
            members.electLeader();
        }
    }

    // ---- things that happen to a cluster ----

    /** The pod is recreated on an empty volume: its etcd stops, and its bootstrap finds no data. */
    void loseVolume(int ordinal) {
        volumes.empty(ordinal);
        pods.remove(ordinal);
        settle();
    }

    /** The volume is emptied under the running pod: its etcd exits and is restarted in place, without the init container. */
    void wipeVolume(int ordinal) {
        volumes.empty(ordinal);
        SimulatedBootstrap.SimPod pod = pods.get(ordinal);
        pod.running = false;
        pod.crashLooping = true;
        settle();
    }

    /**
     * The EtcdCluster is deleted and created again from its manifest (or restored without its status): the
     * StatefulSet and its pods go, the claims and the data on them stay, the status starts empty. Etcd's
     * members are what the retained data says they are.
     */
    void recreateResource() {
        pods.clear();
        statefulSetReplicas = -1;
        journal = Optional.empty();
        clusterFormed = false;
    }

    /** The claim of this ordinal is deleted (no pod runs on it): a new pod gets a new, empty one. */
    void deleteClaim(int ordinal) {
        claims.remove(ordinal);
        volumes.empty(ordinal);
    }

    /** The volume of this ordinal is emptied while no pod runs on it; the claim stays. */
    void emptyVolume(int ordinal) {
        volumes.empty(ordinal);
    }

    /** The pod of this ordinal never gets past its init container (image pull, scheduling...). */
    void hangPod(int ordinal) {
        hangingPods.add(ordinal);
    }

    void stopPod(int ordinal) {
        pods.get(ordinal).running = false;
        settle();
    }

    void crashAfterActing(boolean crash) {
        crashAfterActing = crash;
    }

    // ---- what the tests read ----

    Optional<Journal> journal() {
        return journal;
    }

    int statefulSetReplicas() {
        return statefulSetReplicas;
    }

    Set<Integer> claims() {
        return Set.copyOf(claims);
    }

    Set<Integer> podOrdinals() {
        return Set.copyOf(pods.keySet());
    }

    Set<Integer> voterOrdinals() {
        return members.voterOrdinals();
    }

    long learners() {
        return members.learners();
    }

    int leaderOrdinal() {
        return members.all().stream().filter(m -> m.leader).mapToInt(m -> m.ordinal).findFirst().orElse(-1);
    }

    long idAt(int ordinal) {
        return members.at(ordinal).orElseThrow().id;
    }

    Optional<SimMemberView> memberAt(int ordinal) {
        return members.at(ordinal).map(m -> new SimMemberView(m.id, m.learner, m.started));
    }

    record SimMemberView(long id, boolean learner, boolean started) { }

    Instant now() {
        return now;
    }

    void advance(Duration d) {
        now = now.plus(d);
    }

    String describe() {
        return members.describe() + " sts=" + statefulSetReplicas + " pods=" + pods.keySet() + " journal=" + journal;
    }
}
