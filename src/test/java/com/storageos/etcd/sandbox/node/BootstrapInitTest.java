package com.storageos.etcd.sandbox.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.storageos.etcd.desired.EtcdFlags;
import com.storageos.etcd.desired.TlsLayout;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.naming.LoopbackMemberAddressing;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sandbox's member pods listen at their pod IP too when it is not their member address, as a pod's etcd on 0.0.0.0 does. */
class BootstrapInitTest {
    static final ClusterNames NAMES = new ClusterNames("c", "default");
    static final LoopbackMemberAddressing ADDRESSING = new LoopbackMemberAddressing(7, 8);

    @Test
    void aPodIpOfItsOwnIsListenedOnBesidesTheMemberAddress() throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> config = new ObjectMapper().readValue(BootstrapInit.listeningAlsoOn(template(), "1", "127.7.8.123")
                .replace("{ordinal}", "1"), Map.class);
        assertThat(config).containsEntry("listen-peer-urls", "http://127.7.8.11:2380,http://127.7.8.123:2380")
                .containsEntry("listen-client-urls", "http://127.7.8.11:2379,http://127.7.8.123:2379")
                .containsEntry("listen-metrics-urls", "http://127.7.8.11:2381,http://127.7.8.123:2381")
                .containsEntry("initial-advertise-peer-urls", "http://127.7.8.11:2380");
    }

    @Test
    void aPodWhoseIpIsItsMemberAddressListensThereOnly() throws Exception {
        String template = template();
        assertThat(BootstrapInit.listeningAlsoOn(template, "1", "127.7.8.11")).isEqualTo(template);
    }

    private static String template() throws Exception {
        return new ObjectMapper().writeValueAsString(EtcdFlags.template(NAMES, null, ADDRESSING, TlsLayout.NONE));
    }
}
