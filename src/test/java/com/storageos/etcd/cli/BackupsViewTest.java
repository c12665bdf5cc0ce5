package com.storageos.etcd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackupsViewTest {

    @Test
    void theLastBackupWithItsSizeChecksumAndRestoreCheckThenTheJobs() {
        EtcdCluster c = StatusViewTest.cluster();
        List<String> lines = BackupsView.lines(c, List.of(RequestProgressTest.job("Complete"), RequestProgressTest.job(null)), StatusViewTest.NOW);
        assertThat(lines).containsSubsequence(
                "Last backup:   2026-12-07T09:19:00Z (41m ago)",
                "Location:      pvc://etcd-backups/storageos-etcd/storageos-etcd-20261207T091900Z.db",
                "Size:          20.0 MiB (20971520 bytes)",
                "SHA-256:       ab12 (checked on the way out)",
                "Revision:      1234 from storageos-etcd-1 in 1.3 s",
                "Restore check: passed on storageos-etcd-20261207T091900Z.db at 2026-12-07T09:19:05Z",
                "",
                "JOB               STARTED   OUTCOME    DURATION",
                "kv-backup-now-1   2m ago    Complete   7s",
                "kv-backup-now-1   2m ago    Running    -");
    }

    @Test
    void noBackupYet() {
        EtcdCluster c = StatusViewTest.cluster();
        c.getStatus().setLastBackup(null);
        assertThat(BackupsView.lines(c, List.of(), StatusViewTest.NOW))
                .containsExactly("No backup recorded yet (spec.backup is not set).", "", "No backup Jobs kept.");
    }
}
