package com.storageos.etcd.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.status.BackupStatus;
import com.storageos.etcd.api.v1alpha1.status.DefragStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackupMetricsTest {
    @Test
    void gaugesFollowTheStatusPerCluster() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        BackupMetrics metrics = new BackupMetrics(registry);
        EtcdCluster c = new EtcdCluster();
        c.setMetadata(new ObjectMetaBuilder().withName("kv").withNamespace("ns").build());
        BackupStatus b = new BackupStatus();
        b.setTime("2024-05-10T12:00:00Z");
        b.setSizeBytes(4096L);
        c.getStatus().setLastBackup(b);
        DefragStatus d = new DefragStatus();
        d.setTime("2024-05-10T13:00:00Z");
        d.setOutcome("Failed: m1 TimedOut");
        DefragStatus.MemberDefrag m = new DefragStatus.MemberDefrag();
        m.setBeforeBytes(1000L);
        m.setAfterBytes(400L);
        d.setMembers(List.of(m));
        c.getStatus().setLastDefrag(d);
        metrics.update(c);
        assertThat(value(registry, BackupMetrics.BACKUP_TIME)).isEqualTo(1715342400.0);
        assertThat(value(registry, BackupMetrics.BACKUP_SIZE)).isEqualTo(4096.0);
        assertThat(value(registry, BackupMetrics.DEFRAG_RECLAIMED)).isEqualTo(600.0);
        assertThat(value(registry, BackupMetrics.DEFRAG_FAILURE_TIME)).isEqualTo(1715346000.0);
        metrics.forget("ns", "kv");
        assertThat(registry.find(BackupMetrics.BACKUP_TIME).gauge()).isNull();
    }

    static double value(SimpleMeterRegistry registry, String name) {
        return registry.get(name).tag("namespace", "ns").tag("cluster", "kv").gauge().value();
    }
}
