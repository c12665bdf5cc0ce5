package com.storageos.etcd.reconciler.etcdcluster.members;

import com.storageos.etcd.api.v1alpha1.status.MemberStatus;
import com.storageos.etcd.etcdclient.EtcdMember;
import com.storageos.etcd.membership.PodState;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.naming.MemberAddressing;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Which of this cluster's ordinals an etcd member is. By its DNS peer URL; with spec.bootstrap.join.peerAddressing PodIP also
 * by the IP of the pod of that ordinal, and by the name its etcd started with, which a member whose pod came back at a new IP
 * keeps while its peer URL still names the old one. A member matched by none is not ours (-1).
 */
public final class MemberRecognition {
    private final MemberUrls urls;
    private final ClusterNames names;
    private final Map<String, Integer> podIpPeerUrls;
    private final boolean podIpPeers;

    public MemberRecognition(MemberUrls urls, ClusterNames names, Map<Integer, PodState> pods, boolean podIpPeers) {
        this.urls = urls;
        this.names = names;
        this.podIpPeers = podIpPeers;
        this.podIpPeerUrls = pods.values().stream().filter(p -> !p.ip().isEmpty())
                .collect(Collectors.toMap(p -> MemberAddressing.url(false, p.ip(), MemberAddressing.PEER_PORT), PodState::ordinal,
                        (a, b) -> -1));
    }

    public int ordinalOf(EtcdMember member) {
        return ordinalOf(member.peerUrls().isEmpty() ? "" : member.peerUrls().get(0), member.started() ? member.name() : "");
    }

    /**
     * A member as status.members recorded it (its name is set once it has started), placed as the observation places etcd's
     * members: the StatefulSet's replica count is derived from these, and a member at a pod IP must keep its pod.
     */
    public int ordinalOfRecorded(MemberStatus recorded) {
        return ordinalOf(Objects.requireNonNullElse(recorded.getPeerURL(), ""), Objects.requireNonNullElse(recorded.getName(), ""));
    }

    private int ordinalOf(String peerUrl, String startedName) {
        int byDns = urls.ordinalOfPeerUrl(peerUrl);
        if (byDns >= 0 || !podIpPeers) {
            return byDns;
        }
        return Optional.ofNullable(podIpPeerUrls.get(peerUrl)).filter(o -> o >= 0)
                .or(() -> startedName.isEmpty() ? Optional.empty() : names.ordinalOf(startedName)).orElse(-1);
    }
}
