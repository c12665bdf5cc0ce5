package com.storageos.etcd.desired;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.naming.Labels;
import com.storageos.etcd.naming.MemberAddressing;
import com.storageos.etcd.toolcontract.MemberPaths;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;

/**
 * The address clients such as StorageOS use. It routes only to Ready pods, and a member pod is Ready only
 * when its probe passes and its {@link VoterGate} is open: healthy voters, never a learner.
 */
public final class ClientService {
    private ClientService() {
    }

    public static Service build(EtcdCluster cluster) {
        ClusterNames names = ClusterNamesOf.of(cluster);
        return new ServiceBuilder()
                .withMetadata(ObjectMetas.owned(cluster, names.clientService(), "client"))
                .withNewSpec()
                .withType("ClusterIP")
                .withSelector(Labels.memberSelector(names.cluster()))
                .addNewPort().withName("client").withPort(MemberAddressing.CLIENT_PORT).withNewTargetPort("client").endPort()
                .addNewPort().withName("metrics").withPort(MemberPaths.METRICS_PORT).withNewTargetPort("metrics").endPort()
                .endSpec()
                .build();
    }
}
