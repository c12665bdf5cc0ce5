package com.storageos.etcd.membership;

import com.storageos.etcd.membership.Journal.Phase;
import com.storageos.etcd.tool.bootstrap.BootstrapDecision;
import com.storageos.etcd.tool.bootstrap.BootstrapPlanner;
import com.storageos.etcd.tool.bootstrap.MemberView;
import com.storageos.etcd.toolcontract.BootstrapReport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
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

    private final Map<Long, SimMember> members = new LinkedHashMap<>();
    private final Map<Integer, SimPod> pods = new HashMap<>();
    private final Set<Integer> claims = new HashSet<>();
    /** Volume ordinal to the marker the bootstrap tool wrote beside the data; absent means empty. */
    private final Map<Integer, String> data = new HashMap<>();
    private final Set<Integer> hangingPods = new HashSet<>();
    private int statefulSetReplicas = -1;
    private Optional<Journal> journal = Optional.empty();
    private boolean clusterFormed;
    private boolean crashAfterActing;
    private Instant now = Cluster.T0;
    private long nextId = 0xa1;

    private static final class SimMember {
        final long id;
        final int ordinal;
        boolean learner;
        boolean started;
        boolean leader;

        SimMember(long id, int ordinal, boolean learner) {
            this.id = id;
            this.ordinal = ordinal;
            this.learner = learner;
        }
    }

    private static final class SimPod {
        boolean running;
        boolean reportedDataLoss;
        /** Its volume was emptied under it: etcd finds no config and the kubelet restarts it in place, forever. */
        boolean crashLooping;
    }

    // ---- observing and planning ----

    ClusterObservation observe() {
        List<ObservedMember> observed = members.values().stream().map(this::observed).toList();
        Map<Integer, PodState> podStates = pods.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                e -> new PodState(e.getKey(), e.getValue().running && memberAt(e.getKey()).isPresent(), false,
                        e.getValue().reportedDataLoss, true, e.getValue().crashLooping)));
        boolean reachable = members.values().stream().anyMatch(this::healthy);
        return new ClusterObservation(reachable, reachable ? observed : List.of(), podStates, statefulSetReplicas, claims, Set.of(), 0, now, "", Optional.empty());
    }

    PlanInput input(int desiredReplicas) {
        RecordedMembership recorded = new RecordedMembership(members.values().stream().map(m -> m.ordinal).collect(Collectors.toSet()),
                (int) members.values().stream().filter(m -> !m.learner).count());
        return new PlanInput(desiredReplicas, observe(), journal, clusterFormed, Cluster::peerUrl, Cluster.LEARNER_DEADLINE,
                recorded.podCount(journal, Cluster::peerUrl), Optional.empty());
    }

    private ObservedMember observed(SimMember m) {
        boolean healthy = healthy(m);
        return new ObservedMember(m.id, m.started ? "etcd-" + m.ordinal : "", Cluster.peerUrl(m.ordinal), Cluster.clientUrl(m.ordinal),
                m.ordinal, m.learner, healthy, m.leader && healthy, healthy ? "3.5.17" : "", 0, 0, healthy ? 1 : 0, 0,
                healthy ? leaderId() : 0, healthy ? 2 : 0);
    }

    /** The leader a serving member names; 0 while there is none. */
    private long leaderId() {
        return members.values().stream().filter(x -> x.leader && healthy(x)).mapToLong(x -> x.id).findFirst().orElse(0);
    }

    private boolean healthy(SimMember m) {
        SimPod pod = pods.get(m.ordinal);
        return m.started && pod != null && pod.running;
    }

    // ---- the executor and etcd ----

    /** Carries out one step; in crash mode the executor dies after acting, before its journal write. */
    void apply(Step step) {
        if (step instanceof Step.Bootstrap b) {
            journal = Optional.of(b.journal());
            statefulSetReplicas = b.podCount();
        } else if (step instanceof Step.StartMember s) {
            statefulSetReplicas = s.podCount();
        } else if (step instanceof Step.RetireOrdinal r) {
            statefulSetReplicas = r.podCount();
        } else if (step instanceof Step.RestartPod r) {
            pods.remove(r.ordinal());
        } else if (step instanceof Step.AddLearner a) {
            addLearner(a.journal());
        } else if (step instanceof Step.PromoteLearner p) {
            promote(p.memberId());
        } else if (step instanceof Step.MoveLeader m) {
            members.values().forEach(x -> x.leader = false);
            members.get(m.toId()).leader = true;
        } else if (step instanceof Step.RemoveMember r) {
            removeMember(r.journal());
        } else if (step instanceof Step.ReleaseVolume v) {
            claims.remove(v.ordinal());
            data.remove(v.ordinal());
            recordAfterActing(Optional.empty());
        } else if (step instanceof Step.RecordJournal r) {
            journal = r.next();
        } else if (step instanceof Step.ClusterFormed) {
            journal = Optional.empty();
            clusterFormed = true;
        }
        now = now.plus(TICK);
        settle();
    }

    private void addLearner(Journal intent) {
        journal = Optional.of(intent);
        if (members.values().stream().anyMatch(m -> Cluster.peerUrl(m.ordinal).equals(intent.peerUrl()))) {
            return; // etcd: peer URL exists; the executor requeues and the next plan adopts it
        }
        if (members.values().stream().anyMatch(m -> !m.learner && !healthy(m))) {
            return; // etcd's strict reconfiguration check: "unhealthy cluster" while a voter is not connected
        }
        SimMember added = new SimMember(nextId++, intent.ordinal(), true);
        members.put(added.id, added);
        recordAfterActing(Optional.of(intent.withPhase(Phase.MemberAdded, added.id, now)));
    }

    private void promote(long id) {
        SimMember m = members.get(id);
        if (m == null || !m.learner || !healthy(m)) {
            return; // etcd refuses: learner not ready; the executor maps that to a short wait
        }
        m.learner = false;
        recordAfterActing(Optional.empty());
    }

    private void removeMember(Journal intent) {
        journal = Optional.of(intent);
        SimMember removed = members.remove(intent.memberId());
        if (removed != null && removed.leader) {
            electLeader();
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
                pods.put(ordinal, new SimPod());
                claims.add(ordinal);
            }
        }
        pods.forEach(this::startIfWaiting);
        if (members.values().stream().noneMatch(m -> m.leader && healthy(m))) {
            electLeader();
        }
    }

    private void startIfWaiting(int ordinal, SimPod pod) {
        if (pod.running || pod.reportedDataLoss || pod.crashLooping || hangingPods.contains(ordinal)) {
            return;
        }
        BootstrapDecision decision = new BootstrapPlanner().decide(viewOf(ordinal));
        if (decision instanceof BootstrapDecision.NewCluster) {
            SimMember first = new SimMember(nextId++, ordinal, false);
            first.started = true;
            members.put(first.id, first);
            data.put(ordinal, BootstrapPlanner.BOOTSTRAP_MARKER);
            pod.running = true;
        } else if (decision instanceof BootstrapDecision.Join j) {
            data.put(ordinal, j.memberIdHex());
            members.get(Long.parseUnsignedLong(j.memberIdHex(), 16)).started = true;
            pod.running = true;
        } else if (decision instanceof BootstrapDecision.Restart) {
            pod.running = true;
        } else if (decision instanceof BootstrapDecision.Refuse r) {
            pod.reportedDataLoss = BootstrapReport.isDataLoss(r.terminationMessage());
        }
    }

    private MemberView viewOf(int ordinal) {
        Set<String> started = members.values().stream().filter(m -> m.started).map(m -> "etcd-" + m.ordinal).collect(Collectors.toSet());
        Optional<MemberView.JournalEntry> entry = journal.map(j -> new MemberView.JournalEntry(j.operation().name(), j.phase().name(),
                j.ordinal(), j.memberId() == 0 ? null : Long.toHexString(j.memberId()),
                // The executor writes etcd's initial-cluster along with MemberAdded; its exact value does not matter here.
                j.phase() == Phase.MemberAdded ? "etcd-0=" + Cluster.peerUrl(0) : null, j.retainedOrdinals()));
        return new MemberView("etcd-" + ordinal, ordinal, data.containsKey(ordinal), Optional.ofNullable(data.get(ordinal)),
                clusterFormed, started, entry, false);
    }

    private void electLeader() {
        List<SimMember> voters = members.values().stream().filter(m -> !m.learner).toList();
        List<SimMember> healthyVoters = voters.stream().filter(this::healthy).toList();
        members.values().forEach(m -> m.leader = false);
        if (!healthyVoters.isEmpty() && healthyVoters.size() >= QuorumMath.quorum(voters.size())) {
            healthyVoters.get(0).leader = true;
        }
    }

    // ---- things that happen to a cluster ----

    /** The pod is recreated on an empty volume: its etcd stops, and its bootstrap finds no data. */
    void loseVolume(int ordinal) {
        data.remove(ordinal);
        pods.remove(ordinal);
        settle();
    }

    /** The volume is emptied under the running pod: its etcd exits and is restarted in place, without the init container. */
    void wipeVolume(int ordinal) {
        data.remove(ordinal);
        SimPod pod = pods.get(ordinal);
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
        data.remove(ordinal);
    }

    /** The volume of this ordinal is emptied while no pod runs on it; the claim stays. */
    void emptyVolume(int ordinal) {
        data.remove(ordinal);
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
        return members.values().stream().filter(m -> !m.learner).map(m -> m.ordinal).collect(Collectors.toSet());
    }

    long learners() {
        return members.values().stream().filter(m -> m.learner).count();
    }

    int leaderOrdinal() {
        return members.values().stream().filter(m -> m.leader).mapToInt(m -> m.ordinal).findFirst().orElse(-1);
    }

    long idAt(int ordinal) {
        return members.values().stream().filter(m -> m.ordinal == ordinal).mapToLong(m -> m.id).findFirst().orElseThrow();
    }

    Optional<SimMemberView> memberAt(int ordinal) {
        return members.values().stream().filter(m -> m.ordinal == ordinal).findFirst()
                .map(m -> new SimMemberView(m.id, m.learner, m.started));
    }

    record SimMemberView(long id, boolean learner, boolean started) { }

    Instant now() {
        return now;
    }

    void advance(Duration d) {
        now = now.plus(d);
    }

    String describe() {
        List<String> parts = new ArrayList<>();
        members.values().forEach(m -> parts.add((m.learner ? "learner " : "voter ") + m.ordinal + (m.leader ? "*" : "")
                + (healthy(m) ? "" : "(down)")));
        return parts + " sts=" + statefulSetReplicas + " pods=" + pods.keySet() + " journal=" + journal;
    }
}
