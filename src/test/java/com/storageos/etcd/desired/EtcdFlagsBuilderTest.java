package com.storageos.etcd.desired;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.spec.EtcdTuningSpec;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.naming.DnsMemberAddressing;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EtcdFlagsBuilderTest {
    private static final ClusterNames NAMES = new ClusterNames("etcd", "storageos");
    private static final DnsMemberAddressing DNS = new DnsMemberAddressing("cluster.local");

    @Test
    void defaultsFollowStorageOSRecommendations() {
        Map<String, Object> flags = EtcdFlags.template(NAMES, null, DNS);
        assertThat(flags.get("quota-backend-bytes")).isEqualTo(8L * 1024 * 1024 * 1024);
        assertThat(flags.get("auto-compaction-mode")).isEqualTo("revision");
        assertThat(flags.get("auto-compaction-retention")).isEqualTo("12000");
        assertThat(flags.get("data-dir")).isEqualTo(MemberPaths.DATA_DIR);
    }

    @Test
    void advertisedUrlsKeepTheOrdinalPlaceholder() {
        Map<String, Object> flags = EtcdFlags.template(NAMES, new EtcdTuningSpec(), DNS);
        assertThat(flags.get("initial-advertise-peer-urls")).isEqualTo("http://etcd-{ordinal}.etcd-peer.storageos.svc.cluster.local:2380");
        assertThat(flags.get("advertise-client-urls")).isEqualTo("http://etcd-{ordinal}.etcd-peer.storageos.svc.cluster.local:2379");
        assertThat(flags.get("listen-peer-urls")).isEqualTo("http://0.0.0.0:2380");
        assertThat(flags.get("initial-cluster-token")).isEqualTo("storageos/etcd");
    }

    @Test
    void extraArgsAddKeysButCannotOverrideManagedOnes() {
        // The CRD rejects managed keys at admission; the builder still refuses to let them through.
        EtcdTuningSpec tuning = new EtcdTuningSpec();
        tuning.setExtraArgs(Map.of("data-dir", "/tmp/evil", "quota-backend-bytes", "1", "experimental-x", "true"));
        Map<String, Object> flags = EtcdFlags.template(NAMES, tuning, DNS);
        assertThat(flags.get("data-dir")).isEqualTo(MemberPaths.DATA_DIR);
        assertThat(flags.get("quota-backend-bytes")).isEqualTo(EtcdTuningSpec.DEFAULT_QUOTA);
        assertThat(flags.get("experimental-x")).isEqualTo("true");
    }
}
