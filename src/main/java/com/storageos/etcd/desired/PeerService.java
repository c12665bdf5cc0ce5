package com.storageos.etcd.desired;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.naming.Labels;
import com.storageos.etcd.naming.MemberAddressing;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;

/**
 * The headless Service that gives every member a stable DNS name. Not-ready addresses are
 * published because a member must be reachable by its peers before it can become ready.
 */
public final class PeerService {
    private PeerService() {
    }

    public static Service build(EtcdCluster cluster) {
        ClusterNames names = ClusterNamesOf.of(cluster);
        return new ServiceBuilder()
                .withMetadata(ObjectMetas.owned(cluster, names.peerService(), "peer"))
                .withNewSpec()
                .withClusterIP("None")
                .withPublishNotReadyAddresses(true)
                .withSelector(Labels.memberSelector(names.cluster()))
                .addNewPort().withName("peer").withPort(MemberAddressing.PEER_PORT).withNewTargetPort("peer").endPort()
                .addNewPort().withName("client").withPort(MemberAddressing.CLIENT_PORT).withNewTargetPort("client").endPort()
                .endSpec()
                .build();
    }
}
