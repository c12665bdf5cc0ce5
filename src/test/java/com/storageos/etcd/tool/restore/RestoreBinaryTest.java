package com.storageos.etcd.tool.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** etcd 3.6 has no {@code etcdctl snapshot restore}; 3.4 has no etcdutl. */
class RestoreBinaryTest {
    @Test
    void theRestoreProgramFollowsTheEtcdVersion() {
        assertThat(RestoreBinary.forVersion("3.4.23", Map.of()).path()).isEqualTo(RestoreBinary.DEFAULT_ETCDCTL);
        assertThat(RestoreBinary.forVersion("3.5.17", Map.of()).path()).isEqualTo(RestoreBinary.DEFAULT_ETCDUTL);
        assertThat(RestoreBinary.forVersion("3.6.0", Map.of()).path()).isEqualTo(RestoreBinary.DEFAULT_ETCDUTL);
        assertThat(RestoreBinary.forVersion("3.6.0", Map.of("ETCDUTL", "/opt/etcdutl")).path()).isEqualTo("/opt/etcdutl");
        assertThat(RestoreBinary.forVersion("3.4.23", Map.of("ETCDCTL", "/usr/bin/etcdctl")).path()).isEqualTo("/usr/bin/etcdctl");
    }
}
