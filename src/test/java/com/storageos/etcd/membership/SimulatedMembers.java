package com.storageos.etcd.membership;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.stream.Collectors;

/**
 * etcd's member list in a {@link SimulatedCluster}: each member's ID, ordinal, learner or voter, started and leader. A member
 * is healthy while it has started and its pod runs; a leader is elected among the healthy voters while they are a quorum.
 */
final class SimulatedMembers {
    private final Map<Long, Member> members = new LinkedHashMap<>();
    private final IntPredicate podRunning;
    private long nextId = 0xa1;

    static final class Member {
        final long id;
        final int ordinal;
        boolean learner;
        boolean started;
        boolean leader;

        Member(long id, int ordinal, boolean learner) {
            this.id = id;
            this.ordinal = ordinal;
            this.learner = learner;
        }
    }

    /** @param podRunning whether the pod of an ordinal runs */
    SimulatedMembers(IntPredicate podRunning) {
        this.podRunning = podRunning;
    }

    /** A new member under the next ID. */
    Member add(int ordinal, boolean learner) {
        Member added = new Member(nextId++, ordinal, learner);
        members.put(added.id, added);
        return added;
    }

    Member get(long id) {
        return members.get(id);
    }

    Member remove(long id) {
        return members.remove(id);
    }

    List<Member> all() {
        return List.copyOf(members.values());
    }

    boolean healthy(Member m) {
        return m.started && podRunning.test(m.ordinal);
    }

    boolean anyHealthy() {
        return members.values().stream().anyMatch(this::healthy);
    }

    boolean hasHealthyLeader() {
        return members.values().stream().anyMatch(m -> m.leader && healthy(m));
    }

    /** The leader a serving member names; 0 while there is none. */
    long leaderId() {
        return members.values().stream().filter(x -> x.leader && healthy(x)).mapToLong(x -> x.id).findFirst().orElse(0);
    }

    ObservedMember observed(Member m) {
        boolean healthy = healthy(m);
        return new ObservedMember(m.id, m.started ? "etcd-" + m.ordinal : "", Cluster.peerUrl(m.ordinal), Cluster.clientUrl(m.ordinal),
                m.ordinal, m.learner, healthy, m.leader && healthy, healthy ? "3.5.17" : "", 0, 0, healthy ? 1 : 0, 0,
                healthy ? leaderId() : 0, healthy ? 2 : 0);
    }

    void moveLeader(long toId) {
        members.values().forEach(x -> x.leader = false);
        members.get(toId).leader = true;
    }

    void electLeader() {
        List<Member> voters = members.values().stream().filter(m -> !m.learner).toList();
        List<Member> healthyVoters = voters.stream().filter(this::healthy).toList();
        members.values().forEach(m -> m.leader = false);
        if (!healthyVoters.isEmpty() && healthyVoters.size() >= QuorumMath.quorum(voters.size())) {
            healthyVoters.get(0).leader = true;
        }
    }

    Optional<Member> at(int ordinal) {
        return members.values().stream().filter(m -> m.ordinal == ordinal).findFirst();
    }

    Set<Integer> ordinals() {
        return members.values().stream().map(m -> m.ordinal).collect(Collectors.toSet());
    }

    int voters() {
        return (int) members.values().stream().filter(m -> !m.learner).count();
    }

    Set<Integer> voterOrdinals() {
        return members.values().stream().filter(m -> !m.learner).map(m -> m.ordinal).collect(Collectors.toSet());
    }

    long learners() {
        return members.values().stream().filter(m -> m.learner).count();
    }

    /** The names etcd lists for the members that have started. */
    Set<String> startedNames() {
        return members.values().stream().filter(m -> m.started).map(m -> "etcd-" + m.ordinal).collect(Collectors.toSet());
    }

    String describe() {
        List<String> parts = new ArrayList<>();
        members.values().forEach(m -> parts.add((m.learner ? "learner " : "voter ") + m.ordinal + (m.leader ? "*" : "")
                + (healthy(m) ? "" : "(down)")));
        return parts.toString();
    }
}
