package com.storageos.etcd.desired;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.spec.EtcdTuningSpec;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.naming.DnsMemberAddressing;
import com.storageos.etcd.toolcontract.MemberPaths;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EtcdFlagsBuilderTest {
    private static final ClusterNames NAMES = new ClusterNames("etcd", "storageos");
    private static final DnsMemberAddressing DNS = new DnsMemberAddressing("cluster.local");

    @Test
    void defaultsFollowStorageOSRecommendations() {
        Map<String, Object> flags = EtcdFlags.template(NAMES, null, DNS, TlsLayout.NONE);
        assertThat(flags.get("quota-backend-bytes")).isEqualTo(8L * 1024 * 1024 * 1024);
        assertThat(flags.get("auto-compaction-mode")).isEqualTo("revision");
        assertThat(flags.get("auto-compaction-retention")).isEqualTo("12000");
        assertThat(flags.get("data-dir")).isEqualTo(MemberPaths.DATA_DIR);
    }

    @Test
    void advertisedUrlsKeepTheOrdinalPlaceholder() {
        Map<String, Object> flags = EtcdFlags.template(NAMES, new EtcdTuningSpec(), DNS, TlsLayout.NONE);
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
        Map<String, Object> flags = EtcdFlags.template(NAMES, tuning, DNS, TlsLayout.NONE);
        assertThat(flags.get("data-dir")).isEqualTo(MemberPaths.DATA_DIR);
        assertThat(flags.get("quota-backend-bytes")).isEqualTo(EtcdTuningSpec.DEFAULT_QUOTA);
        assertThat(flags.get("experimental-x")).isEqualTo(true);
    }

    @Test
    void extraArgsGetTheYamlTypeOfEtcdsConfigField() {
        EtcdTuningSpec tuning = new EtcdTuningSpec();
        tuning.setAutoCompactionRetention(null);
        tuning.setExtraArgs(Map.of("max-txn-ops", "256", "enable-pprof", "true", "experimental-initial-corrupt-check", "false",
                "snapshot-count", "18446744073709551615", "log-level", "warn", "auto-compaction-retention", "1",
                "experimental-distributed-tracing-instance-id", "7", "grpc-keepalive-interval", "1h30m",
                "grpc-keepalive-timeout", "20000000000", "cipher-suites", "TLS_A, TLS_B"));
        Map<String, Object> flags = EtcdFlags.template(NAMES, tuning, DNS, TlsLayout.NONE);
        assertThat(flags.get("max-txn-ops")).isEqualTo(new BigInteger("256"));
        assertThat(flags.get("enable-pprof")).isEqualTo(true);
        assertThat(flags.get("experimental-initial-corrupt-check")).isEqualTo(false);
        assertThat(flags.get("snapshot-count")).as("uint64").isEqualTo(new BigInteger("18446744073709551615"));
        assertThat(flags.get("log-level")).isEqualTo("warn");
        assertThat(flags.get("auto-compaction-retention")).as("a string field, even as a number").isEqualTo("1");
        assertThat(flags.get("experimental-distributed-tracing-instance-id")).isEqualTo("7");
        assertThat(flags.get("grpc-keepalive-interval")).as("time.Duration: nanoseconds").isEqualTo(BigInteger.valueOf(5_400_000_000_000L));
        assertThat(flags.get("grpc-keepalive-timeout")).isEqualTo(BigInteger.valueOf(20_000_000_000L));
        assertThat(flags.get("cipher-suites")).isEqualTo(List.of("TLS_A", "TLS_B"));
    }
}
