package com.storageos.etcd.membership;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Test-side builder of observations: {@code Cluster.of(voter(0).leader(), voter(1), learner(2))}
 * gives every member a running, ready pod and a volume, and the StatefulSet one pod per ordinal.
 */
public final class Cluster {
    public static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    public static final Duration LEARNER_DEADLINE = Duration.ofMinutes(2);

    private final List<ObservedMember> members = new ArrayList<>();
    private final Map<Integer, PodState> pods = new HashMap<>();
    private final Set<Integer> claims = new HashSet<>();
    private final Set<String> alarms = new HashSet<>();
    private boolean reachable = true;
    private int statefulSetReplicas;
    private int recordedPods;
    private Instant now = T0;
    private Optional<MembershipDisagreement> disagreement = Optional.empty();

    private Cluster() {
    }

    public static String peerUrl(int ordinal) {
        return "http://etcd-" + ordinal + ".etcd-peer.ns.svc:2380";
    }

    public static String clientUrl(int ordinal) {
        return "http://etcd-" + ordinal + ".etcd-peer.ns.svc:2379";
    }

    /** Member IDs are derived from the ordinal so that a test can name them: 0x100 + ordinal. */
    public static long idOf(int ordinal) {
        return 0x100 + ordinal;
    }

    public static Member voter(int ordinal) {
        return new Member(idOf(ordinal), ordinal, false, true, true, false, 100, 0);
    }

    public static Member learner(int ordinal) {
        return new Member(idOf(ordinal), ordinal, true, true, true, false, 100, 0);
    }

    public static Cluster of(Member... members) {
        Cluster c = new Cluster();
        long leaderId = Arrays.stream(members).filter(Member::leading).mapToLong(Member::id).findFirst().orElse(0);
        for (Member m : members) {
            c.members.add(m.observed(leaderId));
            c.pods.put(m.ordinal(), new PodState(m.ordinal(), m.healthy(), false, false, true, false));
            c.claims.add(m.ordinal());
        }
        c.statefulSetReplicas = c.members.stream().mapToInt(ObservedMember::ordinal).max().orElse(-1) + 1;
        c.recordedPods = c.statefulSetReplicas;
        return c;
    }

    /** A namespace with nothing in it yet: no StatefulSet, no pods, no etcd. */
    public static Cluster empty() {
        Cluster c = of();
        c.reachable = false;
        c.statefulSetReplicas = -1;
        return c;
    }

    /** The pods the recorded membership needs; by default those of the members given to {@link #of}, kept when etcd goes unreachable. */
    public Cluster recordedPods(int pods) {
        recordedPods = pods;
        return this;
    }

    /** No etcd member answers anyone: the operator reads no member list, and no pod passes its readiness probe. */
    public Cluster unreachable() {
        reachable = false;
        members.clear();
        pods.replaceAll((ordinal, p) -> new PodState(ordinal, false, p.terminating(), p.reportedDataLoss(), p.currentRevision(),
                p.crashLooping(), p.forcedNewCluster(), p.initialized(), p.restore(), p.ip(), p.uid(), p.graceEnds()));
        return this;
    }

    public Cluster statefulSetReplicas(int replicas) {
        statefulSetReplicas = replicas;
        return this;
    }

    public Cluster withoutPod(int ordinal) {
        pods.remove(ordinal);
        return this;
    }

    /**
     * The pods of these ordinals are Ready whatever their members answer the operator: the kubelet's readiness probe,
     * run next to the member, passed (the operator is cut off from them, not they from each other).
     */
    public Cluster podsReady(Integer... ordinals) {
        for (int ordinal : ordinals) {
            pod(new PodState(ordinal, true, false, false, true, false));
        }
        return this;
    }

    public Cluster pod(PodState pod) {
        pods.put(pod.ordinal(), pod);
        return this;
    }

    /** The pod's bootstrap init container refused with a DataLost termination message. */
    public Cluster podLostData(int ordinal) {
        return pod(new PodState(ordinal, false, false, true, true, false, false, false));
    }

    public Cluster claims(Integer... ordinals) {
        claims.clear();
        claims.addAll(List.of(ordinals));
        return this;
    }

    /** An active etcd alarm, such as NOSPACE. */
    public Cluster alarm(String type) {
        alarms.add(type);
        return this;
    }

    /** The reachable members do not tell one story about the cluster ID or the member list. */
    public Cluster disagreeing(MembershipDisagreement found) {
        disagreement = Optional.of(found);
        return this;
    }

    public Cluster at(Instant instant) {
        now = instant;
        return this;
    }

    public ClusterObservation observation() {
        return new ClusterObservation(reachable, members, pods, statefulSetReplicas, claims, alarms, 0, now, "", disagreement);
    }

    public PlanInput desiring(int replicas) {
        return input(replicas, Optional.empty(), true);
    }

    public PlanInput desiring(int replicas, Journal journal) {
        return input(replicas, Optional.of(journal), true);
    }

    public PlanInput input(int replicas, Optional<Journal> journal, boolean clusterFormed) {
        return new PlanInput(replicas, observation(), journal, clusterFormed, Cluster::peerUrl, LEARNER_DEADLINE, recordedPods,
                Optional.empty());
    }

    /** A recovery request that the status does not record as handled yet. */
    public PlanInput requesting(int replicas, Optional<Journal> journal, RecoveryRequest recovery) {
        return new PlanInput(replicas, observation(), journal, true, Cluster::peerUrl, LEARNER_DEADLINE, recordedPods,
                Optional.of(recovery));
    }

    /** One member as the test describes it; turned into an {@link ObservedMember} by {@link #of}. */
    /**
     * @param raftIndex the index its status call reports; 0 when it does not answer that call
     * @param answeredAs another member's ID an etcd answers with at its URL; 0 when none does
     */
    public record Member(long id, int ordinal, boolean learner, boolean started, boolean healthy, boolean leading, long raftIndex,
                         long answeredAs) {
        /** Its URL is answered by an etcd on an earlier member's data, under that member's ID. */
        public Member servedBy(long earlierId) {
            return new Member(id, ordinal, learner, started, false, false, 0, earlierId);
        }

        public Member leader() {
            return new Member(id, ordinal, learner, started, healthy, true, raftIndex, answeredAs);
        }

        /** Down: it answers neither a read nor its status call. */
        public Member unhealthy() {
            return new Member(id, ordinal, learner, started, false, false, 0, 0);
        }

        /** Runs but cannot serve a read (no quorum), and still answers its status call with this raft index. */
        public Member withoutQuorum(long index) {
            return new Member(id, ordinal, learner, started, false, false, index, answeredAs);
        }

        /** Added to etcd but its etcd process never ran: no name yet. */
        public Member notStarted() {
            return new Member(id, ordinal, learner, false, false, false, 0, 0);
        }

        public Member id(long newId) {
            return new Member(newId, ordinal, learner, started, healthy, leading, raftIndex, answeredAs);
        }

        /** A member that serves names the cluster's leader in its status; one without quorum names none. */
        ObservedMember observed(long leaderId) {
            return new ObservedMember(id, started ? "etcd-" + ordinal : "", peerUrl(ordinal), clientUrl(ordinal), ordinal,
                    learner, healthy, leading, healthy ? "3.5.17" : "", healthy ? 1000 : 0, healthy ? 800 : 0, raftIndex, raftIndex / 2,
                    healthy && raftIndex > 0 ? leaderId : 0, raftIndex > 0 ? 7 : 0, answeredAs != 0 ? answeredAs : raftIndex > 0 ? id : 0);
        }
    }
}
