package com.storageos.etcd.naming;

/** Members reached through the headless peer Service: {@code <cluster>-<n>.<cluster>-peer.<ns>.svc.<domain>}. */
public record DnsMemberAddressing(String clusterDomain) implements MemberAddressing {

    @Override
    public String memberHostTemplate(ClusterNames names) {
        return names.cluster() + "-" + ORDINAL + "." + names.peerService() + "." + names.namespace() + ".svc." + clusterDomain;
    }

    @Override
    public String listenHostTemplate(ClusterNames names) {
        return "0.0.0.0";
    }

    @Override
    public String clientServiceAddress(ClusterNames names) {
        return names.clientService() + "." + names.namespace() + ".svc." + clusterDomain + ":" + CLIENT_PORT;
    }
}
