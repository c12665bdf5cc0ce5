package com.storageos.etcd.tool.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** A joining member advertises the URL the operator added it under (its pod's IP with peerAddressing PodIP), not the template's. */
class MemberConfigFileTest {
    static final String TEMPLATE = "{\"initial-advertise-peer-urls\":\"http://etcd-{ordinal}.etcd-peer.ns.svc.cluster.local:2380\","
            + "\"listen-peer-urls\":\"http://0.0.0.0:2380\"}";

    @Test
    void aLearnerAddedAtItsPodIpAdvertisesThatIp() throws Exception {
        String initialCluster = "old-0=http://10.0.0.5:2380,etcd-1=http://10.244.1.7:2380,etcd-0=http://10.244.0.3:2380";
        Map<String, Object> config = MemberConfigFile.render(TEMPLATE, "etcd-1", 1, initialCluster, "existing");
        MemberConfigFile.advertiseAsAdded(config, "etcd-1", initialCluster);
        assertThat(config).containsEntry("initial-advertise-peer-urls", "http://10.244.1.7:2380")
                .containsEntry("listen-peer-urls", "http://0.0.0.0:2380");
    }

    @Test
    void aLearnerAddedAtItsDnsNameKeepsTheTemplatesUrl() throws Exception {
        String initialCluster = "old-0=http://10.0.0.5:2380,etcd-10=http://10.244.1.8:2380,etcd-1=http://etcd-1.etcd-peer.ns.svc.cluster.local:2380";
        Map<String, Object> config = MemberConfigFile.render(TEMPLATE, "etcd-1", 1, initialCluster, "existing");
        MemberConfigFile.advertiseAsAdded(config, "etcd-1", initialCluster);
        assertThat(config).containsEntry("initial-advertise-peer-urls", "http://etcd-1.etcd-peer.ns.svc.cluster.local:2380");
    }
}
