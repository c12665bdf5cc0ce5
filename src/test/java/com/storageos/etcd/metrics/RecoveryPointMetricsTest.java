package com.storageos.etcd.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.spec.BackupSpec;
import com.storageos.etcd.api.v1alpha1.spec.ContinuousBackupSpec;
import com.storageos.etcd.api.v1alpha1.status.ContinuousBackupStatus;
import com.storageos.etcd.api.v1alpha1.status.RecoveryPointStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RecoveryPointMetricsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-07T12:00:00Z"));
    private final RecoveryPointMetrics metrics = new RecoveryPointMetrics(registry, "etcd_cluster", new Clock() {
        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId zone) { return this; }
        @Override public Instant instant() { return now.get(); }
    });

    @Test
    void theAgeFollowsTheStatusAndGrowsWhileTheAgentIsSilent() {
        EtcdCluster c = cluster(true);
        report(c, 100, "2026-12-07T11:59:58Z", 0);
        metrics.update(c);
        assertThat(value(RecoveryPointMetrics.AGE)).isEqualTo(2.0);
        assertThat(value(RecoveryPointMetrics.REVISION)).isEqualTo(100.0);
        assertThat(registry.get(RecoveryPointMetrics.FAILED_WRITES).functionCounter().count()).isZero();

        now.set(now.get().plusSeconds(90));
        assertThat(value(RecoveryPointMetrics.AGE)).as("no report for 90 s: the age grows at each scrape").isEqualTo(92.0);

        report(c, 140, "2026-12-07T12:01:29Z", 3);
        metrics.update(c);
        assertThat(value(RecoveryPointMetrics.AGE)).isEqualTo(1.0);
        assertThat(value(RecoveryPointMetrics.REVISION)).isEqualTo(140.0);
        assertThat(registry.get(RecoveryPointMetrics.FAILED_WRITES).functionCounter().count()).isEqualTo(3.0);
    }

    @Test
    void beforeTheFirstReportTheAgeCountsFromWhenTheAgentWasFirstWanted() {
        EtcdCluster c = cluster(true);
        metrics.update(c);
        now.set(now.get().plusSeconds(61));
        metrics.update(c);
        assertThat(value(RecoveryPointMetrics.AGE)).isEqualTo(61.0);
    }

    @Test
    void onlyClustersWithTheAgentExportItAndTurningItOffDropsThem() {
        metrics.update(cluster(false));
        assertThat(registry.getMeters()).isEmpty();
        EtcdCluster c = cluster(true);
        metrics.update(c);
        assertThat(registry.getMeters()).extracting(m -> m.getId().getName()).containsExactlyInAnyOrderElementsOf(RecoveryPointMetrics.ALL);
        c.getSpec().getBackup().getContinuous().setEnabled(false);
        metrics.update(c);
        assertThat(registry.getMeters()).isEmpty();
        metrics.update(cluster(true));
        metrics.forget("ns", "kv");
        assertThat(registry.getMeters()).isEmpty();
    }

    private double value(String metric) {
        Meter m = registry.get(metric).tag("etcd_cluster", "kv").tag("namespace", "ns").gauge();
        return m.measure().iterator().next().getValue();
    }

    private static void report(EtcdCluster c, long revision, String time, long failed) {
        ContinuousBackupStatus s = new ContinuousBackupStatus();
        s.setRecoveryPoint(new RecoveryPointStatus(revision, time));
        s.setFailedChunkWrites(failed);
        c.getStatus().setContinuousBackup(s);
    }

    private static EtcdCluster cluster(boolean continuous) {
        EtcdCluster c = new EtcdCluster();
        c.setMetadata(new ObjectMetaBuilder().withName("kv").withNamespace("ns").withUid("u").build());
        BackupSpec backup = new BackupSpec();
        backup.setSchedule("0 * * * *");
        ContinuousBackupSpec spec = new ContinuousBackupSpec();
        spec.setEnabled(continuous);
        backup.setContinuous(spec);
        c.getSpec().setBackup(backup);
        return c;
    }
}
