package com.storageos.etcd.tool.pitr;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.status.BackupStatus;
import com.storageos.etcd.api.v1alpha1.status.ContinuousBackupStatus;
import com.storageos.etcd.api.v1alpha1.status.EtcdClusterStatus;
import com.storageos.etcd.tool.backup.BackupName;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RecoveryPointReporterTest {
    private static final Instant T = Instant.parse("2026-12-07T12:00:00Z");

    @Test
    void theStatusCarriesTheRecoveryPointTheChainAndTheFailedWrites() {
        ContinuousBackupStatus s = RecoveryPointReporter.status(new RecoveryPoint(42, T.minusSeconds(3)), "c-x.snapshot.db", 2,
                Clock.fixed(T, ZoneOffset.UTC));
        assertThat(s.getRecoveryPoint().getRevision()).isEqualTo(42);
        assertThat(s.getRecoveryPoint().getTime()).isEqualTo("2026-12-07T11:59:57Z");
        assertThat(s.getSnapshot()).isEqualTo("c-x.snapshot.db");
        assertThat(s.getFailedChunkWrites()).isEqualTo(2);
        assertThat(s.getUpdateTime()).isEqualTo(T.toString());
    }

    @Test
    void theScheduledSnapshotIsNamedByTheLastPartOfItsLocationOnAClaimOrInS3() {
        BackupName name = BackupName.of("c", T);
        for (String location : new String[] {"/backup/c/" + name.name(), "s3://bucket/etcd/ns/c/" + name.name()}) {
            assertThat(RecoveryPointReporter.scheduledSnapshot("c", lastBackup(location, 7L))).as(location).contains(name);
        }
        assertThat(RecoveryPointReporter.scheduledSnapshot("other", lastBackup("/backup/c/" + name.name(), 7L))).isEmpty();
        assertThat(RecoveryPointReporter.scheduledSnapshot("c", lastBackup("/backup/c/" + name.name(), null)))
                .as("without its revision the chain cannot start after it").isEmpty();
        assertThat(RecoveryPointReporter.scheduledSnapshot("c", new EtcdClusterStatus())).isEmpty();
    }

    private static EtcdClusterStatus lastBackup(String location, Long revision) {
        BackupStatus b = new BackupStatus();
        b.setLocation(location);
        b.setRevision(revision);
        EtcdClusterStatus s = new EtcdClusterStatus();
        s.setLastBackup(b);
        return s;
    }
}
