package com.storageos.etcd.reconciler.etcdcluster.members;

import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.naming.MemberAddressing;
import java.util.List;
import java.util.stream.IntStream;

/** The URLs of one cluster's members, and the reverse mapping from a peer URL to its ordinal. */
public record MemberUrls(ClusterNames names, MemberAddressing addressing, boolean peerTls, boolean clientTls) {
    /** Ordinals are bounded by spec.replicas (at most 9) plus one member in flight. */
    static final int MAX_ORDINALS = 16;

    public String peerUrl(int ordinal) {
        return addressing.peerUrl(names, ordinal, peerTls);
    }

    public String clientUrl(int ordinal) {
        return addressing.clientUrl(names, ordinal, clientTls);
    }

    int ordinalOfPeerUrl(String peerUrl) {
        return IntStream.range(0, MAX_ORDINALS).filter(i -> peerUrl(i).equals(peerUrl)).findFirst().orElse(-1);
    }

    public List<String> clientUrls(int count) {
        return IntStream.range(0, Math.max(count, 1)).mapToObj(this::clientUrl).toList();
    }
}
