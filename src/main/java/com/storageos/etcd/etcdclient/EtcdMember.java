package com.storageos.etcd.etcdclient;

import java.util.List;

/**
 * One etcd member as the member list reports it. A member that was added but has never started
 * has an empty name and no client URLs.
 */
public record EtcdMember(long id, String name, List<String> peerUrls, List<String> clientUrls, boolean learner) {

    public EtcdMember {
        name = name == null ? "" : name;
        peerUrls = List.copyOf(peerUrls);
        clientUrls = List.copyOf(clientUrls);
    }

    public boolean started() {
        return !name.isEmpty();
    }

    public String idHex() {
        return Long.toHexString(id);
    }
}
