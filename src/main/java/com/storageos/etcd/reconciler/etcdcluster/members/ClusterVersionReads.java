package com.storageos.etcd.reconciler.etcdcluster.members;

import com.storageos.etcd.etcdclient.EndpointStatus;
import com.storageos.etcd.etcdclient.EtcdAdmin;
import com.storageos.etcd.etcdclient.EtcdAdminException;
import com.storageos.etcd.etcdclient.EtcdMember;
import com.storageos.etcd.membership.EtcdVersion;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * etcd's cluster version ({@code GET /version}), read again only when etcd's own answers say it may have moved. etcd's
 * leader moves it to the lowest minor its members run, some seconds after they all run it. So it is read on every probe
 * while it differs from the members' lowest minor (a lag to report, or a move to see), after any change in what the
 * members say of themselves (who they are, their server versions, the leader and its term, the cluster ID), and at least
 * every {@link #MAX_AGE}: etcd's downgrade API lowers it while none of those change.
 */
final class ClusterVersionReads {
    static final Duration MAX_AGE = Duration.ofMinutes(5);

    /** What one member said of itself, or only its ID and role when it did not answer. */
    private record Said(long id, boolean learner, long answeredAs, String version, long leaderId, long raftTerm) { }

    private record Read(long clusterId, List<Said> members, String version, Instant at) { }

    private final Map<String, Read> last = new ConcurrentHashMap<>();
    private final Clock clock;

    ClusterVersionReads(Clock clock) {
        this.clock = clock;
    }

    /**
     * @param cluster  namespace/name
     * @param statuses each member's status, in the order of {@code members}; empty where it did not answer
     * @return the cluster version, "" if unanswered or undecided
     */
    String clusterVersion(String cluster, EtcdAdmin admin, long clusterId, List<EtcdMember> members,
                          List<Optional<EndpointStatus>> statuses) {
        Instant now = clock.instant();
        List<Said> said = said(members, statuses);
        Read before = last.get(cluster);
        if (before != null && before.clusterId() == clusterId && before.members().equals(said)
                && before.at().isAfter(now.minus(MAX_AGE)) && atLowestMinor(before.version(), said)) {
            return before.version();
        }
        String version = read(admin);
        last.entrySet().removeIf(e -> !e.getValue().at().isAfter(now.minus(MAX_AGE)));
        if (version.isEmpty()) {
            last.remove(cluster);
        } else {
            last.put(cluster, new Read(clusterId, said, version, now));
        }
        return version;
    }

    private static List<Said> said(List<EtcdMember> members, List<Optional<EndpointStatus>> statuses) {
        List<Said> said = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            EtcdMember m = members.get(i);
            said.add(statuses.get(i).map(s -> new Said(m.id(), m.learner(), s.memberId(), s.version(), s.leaderId(), s.raftTerm()))
                    .orElse(new Said(m.id(), m.learner(), 0, "", 0, 0)));
        }
        return said;
    }

    /** True when every member answered with a server version and the cluster version is the lowest of their minors. */
    private static boolean atLowestMinor(String clusterVersion, List<Said> said) {
        List<Optional<EtcdVersion>> versions = said.stream().map(s -> EtcdVersion.parse(s.version())).toList();
        Optional<EtcdVersion> cluster = EtcdVersion.parse(clusterVersion);
        if (cluster.isEmpty() || versions.isEmpty() || versions.stream().anyMatch(Optional::isEmpty)) {
            return false;
        }
        EtcdVersion lowest = versions.stream().map(Optional::get).min(EtcdVersion::compareTo).get();
        return lowest.major() == cluster.get().major() && lowest.minor() == cluster.get().minor();
    }

    private static String read(EtcdAdmin admin) {
        try {
            return admin.clusterVersion().orElse("");
        } catch (EtcdAdminException unanswered) {
            return "";
        }
    }
}
