package com.storageos.etcd.membership;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One immutable snapshot of a cluster: etcd's member list with each member's health, the pods,
 * the volumes and the StatefulSet. The planner decides only from this and the journal.
 *
 * @param etcdReachable        some member answered the member-list call
 * @param statefulSetReplicas  the StatefulSet's spec.replicas, or -1 when it does not exist yet
 * @param claimOrdinals        ordinals that have a data PersistentVolumeClaim
 * @param alarms               the types of etcd's active alarms (e.g. NOSPACE): reported, never counted against health
 * @param clusterId            etcd's cluster ID, or 0 when etcd did not answer
 * @param clusterVersion       etcd's cluster version ("3.5.0"), empty when etcd did not say
 * @param disagreement         the reachable members do not tell one story about the cluster ID or the member list
 */
public record ClusterObservation(
        boolean etcdReachable,
        List<ObservedMember> members,
        Map<Integer, PodState> pods,
        int statefulSetReplicas,
        Set<Integer> claimOrdinals,
        Set<String> alarms,
        long clusterId,
        Instant now,
        String clusterVersion,
        Optional<MembershipDisagreement> disagreement) {

    public ClusterObservation {
        members = members.stream().sorted(Comparator.comparingInt(ObservedMember::ordinal)).toList();
        pods = Map.copyOf(pods);
        claimOrdinals = Set.copyOf(claimOrdinals);
        alarms = Set.copyOf(alarms);
    }

    public List<ObservedMember> voters() {
        return members.stream().filter(ObservedMember::voter).toList();
    }

    public long healthyVoters() {
        return voters().stream().filter(ObservedMember::healthy).count();
    }

    public boolean hasQuorum() {
        return etcdReachable && healthyVoters() >= QuorumMath.quorum(voters().size());
    }

    public Optional<ObservedMember> member(long id) {
        return members.stream().filter(m -> m.id() == id).findFirst();
    }

    public Optional<ObservedMember> memberAt(int ordinal) {
        return members.stream().filter(m -> m.ordinal() == ordinal).findFirst();
    }

    public Optional<ObservedMember> memberWithPeerUrl(String peerUrl) {
        return members.stream().filter(m -> m.peerUrl().equals(peerUrl)).findFirst();
    }

    public Optional<ObservedMember> leader() {
        return members.stream().filter(ObservedMember::leader).findFirst();
    }

    public Optional<PodState> pod(int ordinal) {
        return Optional.ofNullable(pods.get(ordinal));
    }

    /**
     * Every started member runs a newer minor release than etcd's cluster version: the leader raises the cluster version
     * a few seconds after the last member upgrades, and nothing in Kubernetes changes when it does.
     */
    public boolean clusterVersionBehindMembers() {
        Optional<EtcdVersion> cluster = EtcdVersion.parse(clusterVersion);
        List<Optional<EtcdVersion>> started = members.stream().filter(ObservedMember::started).map(m -> EtcdVersion.parse(m.version())).toList();
        return cluster.isPresent() && !started.isEmpty() && started.stream().allMatch(v -> v.isPresent()
                && v.get().atLeast(cluster.get().major(), cluster.get().minor() + 1));
    }

    /** One past the highest ordinal any member of ours has: the pods that must exist. */
    public int memberPodCount() {
        return members.stream().mapToInt(ObservedMember::ordinal).max().orElse(-1) + 1;
    }
}
