package com.storageos.etcd.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.spec.BackupSpec;
import com.storageos.etcd.api.v1alpha1.spec.DefragSpec;
import com.storageos.etcd.api.v1alpha1.status.BackupStatus;
import com.storageos.etcd.api.v1alpha1.status.DefragStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackupMetricsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final BackupMetrics metrics = new BackupMetrics(registry, "etcd_cluster");

    @Test
    void gaugesFollowTheStatusPerCluster() {
        EtcdCluster c = cluster(true, true);
        BackupStatus b = new BackupStatus();
        b.setTime("2024-05-10T12:00:00Z");
        b.setSizeBytes(4096L);
        b.setDurationSeconds(2.5);
        c.getStatus().setLastBackup(b);
        c.getStatus().setLastDefrag(defrag("2024-05-10T13:00:00Z", "Failed: m1 TimedOut"));
        metrics.update(c);
        assertThat(value(BackupMetrics.BACKUP_TIME)).isEqualTo(1715342400.0);
        assertThat(value(BackupMetrics.BACKUP_SIZE)).isEqualTo(4096.0);
        assertThat(value(BackupMetrics.BACKUP_DURATION)).isEqualTo(2.5);
        assertThat(value(BackupMetrics.DEFRAG_RECLAIMED)).isEqualTo(600.0);
        assertThat(value(BackupMetrics.DEFRAG_FAILURE_TIME)).isEqualTo(1715346000.0);
        assertThat(value(BackupMetrics.DEFRAG_SUCCESS_TIME)).isZero();
        metrics.forget("ns", "kv");
        assertThat(registry.getMeters()).isEmpty();
    }

    @Test
    void aDefragSuccessAfterAFailureClearsTheFailure() {
        EtcdCluster c = cluster(false, true);
        c.getStatus().setLastDefrag(defrag("2024-05-10T13:00:00Z", "Failed: m1 TimedOut"));
        metrics.update(c);
        c.getStatus().setLastDefrag(defrag("2024-05-11T13:00:00Z", "Succeeded"));
        metrics.update(c);

        assertThat(value(BackupMetrics.DEFRAG_SUCCESS_TIME)).isEqualTo(1715432400.0);
        assertThat(value(BackupMetrics.DEFRAG_FAILURE_TIME)).as("EtcdDefragFailing must stop firing").isZero();
    }

    @Test
    void aClusterExportsOnlyTheFeaturesItConfigures() {
        metrics.update(cluster(false, false));
        assertThat(registry.getMeters()).as("no backup and no defrag configured").isEmpty();

        EtcdCluster withBackup = cluster(true, false);
        metrics.update(withBackup);
        assertThat(names()).containsExactlyInAnyOrderElementsOf(BackupMetrics.BACKUP);
        assertThat(value(BackupMetrics.BACKUP_TIME)).as("before the first backup: the cluster's creation")
                .isEqualTo(1715300000.0);

        withBackup.getSpec().setBackup(null);
        withBackup.getSpec().setDefrag(new DefragSpec());
        metrics.update(withBackup);
        assertThat(names()).containsExactlyInAnyOrderElementsOf(BackupMetrics.DEFRAG);
    }

    private List<String> names() {
        return registry.getMeters().stream().map(Meter::getId).map(Meter.Id::getName).toList();
    }

    private static EtcdCluster cluster(boolean backup, boolean defrag) {
        EtcdCluster c = new EtcdCluster();
        c.setMetadata(new ObjectMetaBuilder().withName("kv").withNamespace("ns")
                .withCreationTimestamp("2024-05-10T00:13:20Z").build());
        if (backup) {
            c.getSpec().setBackup(new BackupSpec());
        }
        if (defrag) {
            c.getSpec().setDefrag(new DefragSpec());
        }
        return c;
    }

    private static DefragStatus defrag(String time, String outcome) {
        DefragStatus d = new DefragStatus();
        d.setTime(time);
        d.setOutcome(outcome);
        DefragStatus.MemberDefrag m = new DefragStatus.MemberDefrag();
        m.setBeforeBytes(1000L);
        m.setAfterBytes(400L);
        d.setMembers(List.of(m));
        return d;
    }

    private double value(String name) {
        return registry.get(name).tag("namespace", "ns").tag("etcd_cluster", "kv").gauge().value();
    }
}
