package com.storageos.etcd.reconciler.etcdcluster.members;

import com.storageos.etcd.etcdclient.ClientCredentials;
import com.storageos.etcd.etcdclient.PeerRoundTrips;
import com.storageos.etcd.membership.ClusterObservation;
import com.storageos.etcd.membership.Journal;
import com.storageos.etcd.membership.ObservedMember;
import com.storageos.etcd.membership.PeerProbe;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * While a learner of ours joins an external cluster, reads what the external members' own peer probes found about it, and
 * what its probes found about them, for the planner's reachability check. Nothing is read at any other time.
 */
public final class PeerProbeReader {
    private final PeerRoundTrips metrics;

    public PeerProbeReader(PeerRoundTrips metrics) {
        this.metrics = metrics;
    }

    public Map<Long, Map<Long, PeerProbe>> read(ClusterObservation obs, Optional<Journal> journal, ClientCredentials credentials) {
        Optional<ObservedMember> learner = journal.filter(j -> j.operation() == Journal.Operation.ScaleUp && j.phase() == Journal.Phase.MemberAdded)
                .flatMap(j -> obs.member(j.memberId())).filter(m -> m.learner() && m.started());
        if (learner.isEmpty()) {
            return Map.of();
        }
        Map<Long, Map<Long, PeerProbe>> probes = new HashMap<>();
        obs.members().stream().filter(m -> m.ordinal() < 0 && m.healthy() || m.id() == learner.get().id())
                .forEach(m -> metrics.read(m.clientUrl(), credentials.forUrl(m.clientUrl())).ifPresent(found -> probes.put(m.id(), found.entrySet().stream()
                        .collect(Collectors.toMap(Map.Entry::getKey, e -> new PeerProbe(e.getValue().observations(), e.getValue().reachedOnce()))))));
        return probes;
    }
}
