package com.storageos.etcd.etcdclient;

import java.util.List;

/**
 * One member's answer to a member list: the cluster and member it answered as (the response header) and its list.
 *
 * @param clusterId the cluster ID the answering member belongs to, by its own data
 * @param memberId  the answering member's own ID
 */
public record MemberListing(long clusterId, long memberId, List<EtcdMember> members) {
    public MemberListing {
        members = List.copyOf(members);
    }
}
