package com.storageos.etcd.etcdclient;

import java.util.List;

/** The member that {@code member add} created, and the cluster's member list right after it. */
public record MemberAddResult(EtcdMember added, List<EtcdMember> members) {
    public MemberAddResult {
        members = List.copyOf(members);
    }
}
