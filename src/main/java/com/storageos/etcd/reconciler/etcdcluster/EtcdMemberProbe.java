package com.storageos.etcd.reconciler.etcdcluster;

import com.storageos.etcd.etcdclient.EndpointStatus;
import com.storageos.etcd.etcdclient.EtcdAdmin;
import com.storageos.etcd.etcdclient.EtcdAdminException;
import com.storageos.etcd.etcdclient.EtcdMember;
import com.storageos.etcd.membership.ObservedMember;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;

/** Asks etcd for its members and each member for its own status and health, and logs who stopped or resumed answering. */
final class EtcdMemberProbe {
    private final MemberReachability reachability = new MemberReachability();

    /**
     * The members, the alarm types their statuses list (read with the statuses, not through raft as an alarm list is),
     * etcd's cluster ID (0 if the second call went unanswered) and its cluster version ("" if unanswered or undecided).
     */
    record Probed(List<ObservedMember> members, Set<String> alarms, long clusterId, String clusterVersion) {
    }

    /**
     * @param cluster namespace/name, to name it in the log
     * @return the members, or empty when no endpoint answered the member list
     */
    Optional<Probed> probe(String cluster, EtcdAdmin admin, ToIntFunction<EtcdMember> ordinalOf) {
        List<EtcdMember> members;
        try {
            members = admin.listMembers();
        } catch (EtcdAdminException unreachable) {
            reachability.observed(cluster, Map.of(MemberReachability.ANY_MEMBER, String.valueOf(unreachable.getMessage())), List.of());
            return Optional.empty();
        }
        Map<String, String> down = new HashMap<>();
        List<Optional<EndpointStatus>> statuses = members.stream().map(m -> status(admin, m, down)).toList();
        reachability.observed(cluster, down, members.stream().map(EtcdMember::name).filter(n -> !down.containsKey(n)).toList());
        long leaderId = statuses.stream().flatMap(Optional::stream).filter(s -> members.stream().anyMatch(m -> m.id() == s.memberId()))
                .mapToLong(EndpointStatus::leaderId)
                .filter(id -> id != 0).findFirst().orElse(0);
        List<ObservedMember> observed = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            observed.add(observe(admin, members.get(i), statuses.get(i), leaderId, ordinalOf));
        }
        Set<String> alarms = statuses.stream().flatMap(Optional::stream).flatMap(s -> s.alarmTypes().stream())
                .collect(Collectors.toSet());
        return Optional.of(new Probed(observed, alarms, clusterId(admin), clusterVersion(admin)));
    }

    private static ObservedMember observe(EtcdAdmin admin, EtcdMember m, Optional<EndpointStatus> answered, long leaderId,
                                          ToIntFunction<EtcdMember> ordinalOf) {
        String peerUrl = m.peerUrls().isEmpty() ? "" : m.peerUrls().get(0);
        String clientUrl = m.clientUrls().isEmpty() ? "" : m.clientUrls().get(0);
        long answeredAs = answered.map(EndpointStatus::memberId).orElse(0L);
        // An etcd on an earlier member's data answers at this URL under that member's ID: nothing it says is this member's.
        Optional<EndpointStatus> status = answered.filter(s -> s.memberId() == m.id());
        // Learners refuse linearizable reads, so for them an answered status is the health signal.
        boolean healthy = status.isPresent() && status.get().healthErrors().isEmpty()
                && (m.learner() || admin.isHealthy(clientUrl));
        return new ObservedMember(m.id(), m.name(), peerUrl, clientUrl, ordinalOf.applyAsInt(m),
                m.learner(), healthy, m.id() == leaderId && healthy,
                status.map(EndpointStatus::version).orElse(""),
                status.map(EndpointStatus::dbSize).orElse(0L), status.map(EndpointStatus::dbSizeInUse).orElse(0L),
                status.map(EndpointStatus::raftIndex).orElse(0L), status.map(EndpointStatus::revision).orElse(0L),
                status.map(EndpointStatus::leaderId).orElse(0L), status.map(EndpointStatus::raftTerm).orElse(0L), answeredAs);
    }

    private static long clusterId(EtcdAdmin admin) {
        try {
            return admin.clusterId();
        } catch (EtcdAdminException unanswered) {
            return 0;
        }
    }

    private static String clusterVersion(EtcdAdmin admin) {
        try {
            return admin.clusterVersion().orElse("");
        } catch (EtcdAdminException unanswered) {
            return "";
        }
    }

    /** An unstarted learner is not counted as unreachable: it has no client URL to answer on yet. */
    private static Optional<EndpointStatus> status(EtcdAdmin admin, EtcdMember m, Map<String, String> down) {
        if (!m.started() || m.clientUrls().isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(admin.status(m.clientUrls().get(0)));
        } catch (EtcdAdminException unanswered) {
            down.put(m.name(), m.clientUrls().get(0) + ": " + unanswered.getMessage());
            return Optional.empty();
        }
    }
}
