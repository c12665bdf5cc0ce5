package com.storageos.etcd.desired;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.spec.EtcdTuningSpec;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.naming.DnsMemberAddressing;
import com.storageos.etcd.toolcontract.BootstrapToolEnv;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.math.BigInteger;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each pair below is copied from etcd's "Upgrade etcd from v3.5 to v3.6" (https://etcd.io/docs/v3.6/upgrades/upgrade_3_6/,
 * sections "Flags deprecated" and "Equivalent flags of v3.5 feature gates"); the file keys are the flag names, as etcd 3.6's
 * embed.Config json tags confirm (e.g. {@code CompactionBatchLimit int `json:"compaction-batch-limit"`}).
 */
class ReleaseConfigKeysTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "experimental-bootstrap-defrag-threshold-megabytes, bootstrap-defrag-threshold-megabytes",
            "experimental-compaction-batch-limit, compaction-batch-limit",
            "experimental-compact-hash-check-time, compact-hash-check-time",
            "experimental-compaction-sleep-interval, compaction-sleep-interval",
            "experimental-corrupt-check-time, corrupt-check-time",
            "experimental-enable-distributed-tracing, enable-distributed-tracing",
            "experimental-distributed-tracing-address, distributed-tracing-address",
            "experimental-distributed-tracing-instance-id, distributed-tracing-instance-id",
            "experimental-distributed-tracing-sampling-rate, distributed-tracing-sampling-rate",
            "experimental-distributed-tracing-service-name, distributed-tracing-service-name",
            "experimental-downgrade-check-time, downgrade-check-time",
            "experimental-max-learners, max-learners",
            "experimental-memory-mlock, memory-mlock",
            "experimental-snapshot-catchup-entries, snapshot-catchup-entries",
            "experimental-warning-apply-duration, warning-apply-duration",
            "experimental-warning-unary-request-duration, warning-unary-request-duration",
            "experimental-watch-progress-notify-interval, watch-progress-notify-interval"})
    void aDeprecatedExperimentalKeyGetsItsStableNameFrom36On(String old, String renamed) {
        Map<String, Object> keys = Map.of(old, "x", "logger", "zap");
        assertThat(ReleaseConfigKeys.forRelease("3.6.0", keys)).containsExactlyInAnyOrderEntriesOf(Map.of(renamed, "x", "logger", "zap"));
        assertThat(ReleaseConfigKeys.forRelease("3.5.30", keys)).as("3.5 knows only the experimental name").isEqualTo(keys);
        assertThat(ReleaseConfigKeys.forRelease("3.7.1", keys)).as("3.7 removed the old name").containsKey(renamed).doesNotContainKey(old);
    }

    @ParameterizedTest(name = "{0}={2} -> {1}")
    @CsvSource({
            "experimental-compact-hash-check-enabled, CompactHashCheck, true",
            "experimental-initial-corrupt-check, InitialCorruptCheck, true",
            "experimental-enable-lease-checkpoint, LeaseCheckpoint, true",
            "experimental-enable-lease-checkpoint-persist, LeaseCheckpointPersist, true",
            "experimental-stop-grpc-service-on-defrag, StopGRPCServiceOnDefrag, true",
            "experimental-txn-mode-write-with-shared-buffer, TxnModeWriteWithSharedBuffer, false"})
    void aFeatureKeyBecomesAFeatureGateFrom36On(String old, String gate, boolean value) {
        Map<String, Object> keys = Map.of(old, value);
        assertThat(ReleaseConfigKeys.forRelease("3.6.4", keys)).isEqualTo(Map.of("feature-gates", gate + "=" + value));
        assertThat(ReleaseConfigKeys.forRelease("3.5.30", keys)).isEqualTo(keys);
    }

    @Test
    void gatesJoinTheOnesGivenAndANewNameGivenAsWellWins() {
        Map<String, Object> keys = Map.of("feature-gates", "StopGRPCServiceOnDefrag=false", "experimental-stop-grpc-service-on-defrag", true,
                "experimental-initial-corrupt-check", true, "experimental-compact-hash-check-enabled", true,
                "experimental-corrupt-check-time", new BigInteger("1000"), "corrupt-check-time", new BigInteger("2000"));
        assertThat(ReleaseConfigKeys.forRelease("3.6.0", keys)).isEqualTo(Map.of(
                "feature-gates", "StopGRPCServiceOnDefrag=false,CompactHashCheck=true,InitialCorruptCheck=true",
                "corrupt-check-time", new BigInteger("2000")));
    }

    @Test
    void theKeysTheOperatorRendersItselfAreTheSameOn36() {
        Map<String, Object> rendered = EtcdFlags.template(new ClusterNames("etcd", "storageos"), null,
                new DnsMemberAddressing("cluster.local"), TlsLayout.NONE);
        assertThat(ReleaseConfigKeys.forRelease("3.6.0", rendered)).isEqualTo(rendered);
    }

    @Test
    void aMemberOf36GetsTheStableKeysWithTheirFieldTypesInItsConfigTemplate() {
        EtcdCluster cluster = MemberStatefulSetBuilderTest.cluster();
        cluster.getSpec().setVersion("3.6.0");
        EtcdTuningSpec tuning = new EtcdTuningSpec();
        tuning.setExtraArgs(Map.of("experimental-watch-progress-notify-interval", "5s", "experimental-initial-corrupt-check", "true"));
        cluster.getSpec().setEtcd(tuning);
        String template = MemberStatefulSet.build(cluster, 1, MemberStatefulSetBuilderTest.SETTINGS, null).getSpec().getTemplate().getSpec()
                .getInitContainers().get(0).getEnv().stream().filter(e -> e.getName().equals(BootstrapToolEnv.CONFIG_TEMPLATE))
                .map(EnvVar::getValue).findFirst().orElseThrow();
        assertThat(template).contains("\"watch-progress-notify-interval\":5000000000").contains("\"feature-gates\":\"InitialCorruptCheck=true\"")
                .doesNotContain("experimental-");
    }
}
