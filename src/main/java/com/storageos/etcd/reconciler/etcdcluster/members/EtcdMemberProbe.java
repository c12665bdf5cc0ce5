package com.storageos.etcd.reconciler.etcdcluster.members;

import com.storageos.etcd.etcdclient.EndpointStatus;
import com.storageos.etcd.etcdclient.EtcdAdmin;
import com.storageos.etcd.etcdclient.EtcdAdminException;
import com.storageos.etcd.etcdclient.EtcdMember;
import com.storageos.etcd.etcdclient.MemberListing;
import com.storageos.etcd.etcdclient.MetricsServerId;
import com.storageos.etcd.membership.MembershipDisagreement;
import com.storageos.etcd.membership.ObservedMember;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;

/**
 * Asks etcd for its members and each member for its own status and health, and logs who stopped or resumed answering.
 * The member list acted on is the leader's, confirmed by a linearizable read through the same endpoint; every other
 * member's own list and cluster ID are held against it ({@link MembershipDisagreement}).
 */
public final class EtcdMemberProbe {
    private final MemberReachability reachability = new MemberReachability();
    /** Asked which member an etcd runs as, where its client URL left the status call unanswered. */
    private final MetricsServerId serverIds = new MetricsServerId(Duration.ofSeconds(1));

    /**
     * The members, the alarm types their statuses list (read with the statuses, not through raft as an alarm list is),
     * etcd's cluster ID (0 if the second call went unanswered), its cluster version ("" if unanswered or undecided), and
     * whether the reachable members disagree on who they are.
     */
    public record Probed(List<ObservedMember> members, Set<String> alarms, long clusterId, String clusterVersion,
                  Optional<MembershipDisagreement> disagreement) {
    }

    /**
     * @param cluster   namespace/name, to name it in the log
     * @param endpoints every client URL a member of this cluster may answer at, also those the first list leaves out: a
     *                  member holding a stale list of its own is found only by asking it
     * @param recorded  status.clusterId, empty until the cluster formed
     * @return the members, or empty when no endpoint answered the member list
     */
    public Optional<Probed> probe(String cluster, EtcdAdmin admin, ToIntFunction<EtcdMember> ordinalOf, List<String> endpoints,
                           Optional<Long> recorded) {
        if (!endpoints.isEmpty() && !ListeningMembers.any(endpoints)) {
            reachability.observed(cluster, Map.of(MemberReachability.ANY_MEMBER, "every member's client port refuses connections"), List.of());
            return Optional.empty();
        }
        List<EtcdMember> members;
        try {
            members = admin.listMembers();
        } catch (EtcdAdminException unreachable) {
            reachability.observed(cluster, Map.of(MemberReachability.ANY_MEMBER, String.valueOf(unreachable.getMessage())), List.of());
            return Optional.empty();
        }
        Map<String, String> down = new HashMap<>();
        List<Optional<EndpointStatus>> statuses = statuses(admin, members, down);
        Map<String, MemberListing> listings = listings(admin, members, statuses, endpoints);
        Optional<MemberListing> leaderList = differingLeaderList(admin, members, statuses, listings);
        if (leaderList.isPresent()) {
            // The first answer was not the leader's word (a stale list): look again at the members the leader names.
            members = leaderList.get().members();
            down.clear();
            statuses = statuses(admin, members, down);
        }
        reachability.observed(cluster, down, members.stream().map(EtcdMember::name).filter(n -> !down.containsKey(n)).toList());
        long leaderId = leaderId(members, statuses);
        Map<String, Long> runningAs = runningAs(members, statuses);
        List<ObservedMember> observed = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            observed.add(observe(admin, members.get(i), statuses.get(i), leaderId, ordinalOf, runningAs));
        }
        Set<String> alarms = statuses.stream().flatMap(Optional::stream).flatMap(s -> s.alarmTypes().stream())
                .collect(Collectors.toSet());
        // Named as any list names the answering member (the first list may not hold it), else by its URL.
        List<EtcdMember> named = listings.values().stream().flatMap(l -> l.members().stream()).toList();
        List<MembershipDisagreement.Report> reports = listings.entrySet().stream().map(e -> new MembershipDisagreement.Report(
                named.stream().filter(m -> m.id() == e.getValue().memberId()).map(EtcdMember::name).filter(n -> !n.isEmpty()).findFirst()
                        .orElse(e.getKey()), e.getValue().clusterId(), ids(e.getValue().members()))).toList();
        return Optional.of(new Probed(observed, alarms, clusterId(admin), clusterVersion(admin),
                MembershipDisagreement.find(reports, recorded)));
    }

    private static List<Optional<EndpointStatus>> statuses(EtcdAdmin admin, List<EtcdMember> members, Map<String, String> down) {
        return members.stream().map(m -> status(admin, m, down)).toList();
    }

    private static long leaderId(List<EtcdMember> members, List<Optional<EndpointStatus>> statuses) {
        return statuses.stream().flatMap(Optional::stream).filter(s -> members.stream().anyMatch(m -> m.id() == s.memberId()))
                .mapToLong(EndpointStatus::leaderId).filter(id -> id != 0).findFirst().orElse(0);
    }

    /**
     * Each member's own list, by client URL: the listed members that answered their status as themselves, and the endpoints
     * the list leaves out (an answer from one of those is a member that believes in another membership).
     */
    private static Map<String, MemberListing> listings(EtcdAdmin admin, List<EtcdMember> members, List<Optional<EndpointStatus>> statuses,
                                                       List<String> endpoints) {
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            long id = members.get(i).id();
            if (statuses.get(i).filter(s -> s.memberId() == id).isPresent()) {
                urls.add(members.get(i).clientUrls().get(0));
            }
        }
        Set<String> listed = members.stream().flatMap(m -> m.clientUrls().stream()).collect(Collectors.toSet());
        endpoints.stream().filter(url -> !listed.contains(url)).forEach(urls::add);
        Map<String, MemberListing> listings = new LinkedHashMap<>();
        for (String url : urls) {
            try {
                listings.put(url, admin.listMembersAt(url));
            } catch (EtcdAdminException unanswered) {
                // Not reachable now: it has no word in this observation.
            }
        }
        return listings;
    }

    /**
     * The leader's own list where it differs from the first answer, if the leader also answers a linearizable read through the
     * same endpoint. Confirmed only when it differs: while quorum is lost that read waits out its whole deadline, and every
     * reconcile paying it twice (here and in the member's health) delays the QuorumLost it must report.
     */
    private static Optional<MemberListing> differingLeaderList(EtcdAdmin admin, List<EtcdMember> members,
                                                               List<Optional<EndpointStatus>> statuses, Map<String, MemberListing> listings) {
        long leaderId = leaderId(members, statuses);
        Set<Long> firstIds = ids(members);
        return members.stream().filter(m -> m.id() == leaderId && !m.clientUrls().isEmpty()).findFirst()
                .map(m -> m.clientUrls().get(0))
                .filter(url -> listings.containsKey(url) && listings.get(url).memberId() == leaderId)
                .filter(url -> !ids(listings.get(url).members()).equals(firstIds) && admin.isHealthy(url))
                .map(listings::get);
    }

    private static Set<Long> ids(List<EtcdMember> members) {
        return members.stream().map(EtcdMember::id).collect(Collectors.toSet());
    }

    /**
     * The member ID the etcd behind each started member's client URL runs as, where that URL left the status call
     * unanswered: an etcd on data of an earlier cluster never answers there (it is never published), but its metrics
     * listener names the member it is.
     */
    private Map<String, Long> runningAs(List<EtcdMember> members, List<Optional<EndpointStatus>> statuses) {
        List<String> unanswered = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            if (statuses.get(i).isEmpty() && members.get(i).started() && !members.get(i).clientUrls().isEmpty()) {
                unanswered.add(members.get(i).clientUrls().get(0));
            }
        }
        return unanswered.isEmpty() ? Map.of() : serverIds.read(unanswered);
    }

    private static ObservedMember observe(EtcdAdmin admin, EtcdMember m, Optional<EndpointStatus> answered, long leaderId,
                                          ToIntFunction<EtcdMember> ordinalOf, Map<String, Long> runningAs) {
        String peerUrl = m.peerUrls().isEmpty() ? "" : m.peerUrls().get(0);
        String clientUrl = m.clientUrls().isEmpty() ? "" : m.clientUrls().get(0);
        long answeredAs = answered.map(EndpointStatus::memberId).orElse(runningAs.getOrDefault(clientUrl, 0L));
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
