package com.storageos.etcd.naming;

import java.util.List;

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
    public List<String> certificateHosts(ClusterNames names) {
        String service = names.namespace() + ".svc";
        return List.of("*." + names.peerService() + "." + service + "." + clusterDomain, "*." + names.peerService() + "." + service,
                names.clientService() + "." + service + "." + clusterDomain, names.clientService() + "." + service,
                names.clientService() + "." + names.namespace(), names.clientService(), "localhost", "127.0.0.1");
    }

    @Override
    public String clientServiceAddress(ClusterNames names) {
        return names.clientService() + "." + names.namespace() + ".svc." + clusterDomain + ":" + CLIENT_PORT;
    }
}
