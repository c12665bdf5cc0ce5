package com.storageos.etcd.tool.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.spec.BackupSpec;
import com.storageos.etcd.api.v1alpha1.spec.RestoreSpec;
import com.storageos.etcd.testing.EtcdBinaries;
import com.storageos.etcd.toolcontract.ToolEnv;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** spec.backup.restoreCheck: each backup restored in a scratch dir, and a failed check never costing the last that passed. */
class RestoreCheckEtcdIT extends BackupEtcdFixture {
    @Test
    void theRestoreCheckRestoresTheNewestBackupAndReportsAFailedOne() throws Exception {
        Map<String, String> env = checkedClusterEnv("checked", 2);
        Path scratch = Path.of(env.get(ToolEnv.SCRATCH_DIR));
        assertThat(command(ADMINS, Instant.parse("2024-05-10T12:00:00Z")).run(List.of(), env)).isZero();
        var check = client.resources(EtcdCluster.class).inNamespace(NS).withName("checked").get().getStatus().getLastBackup().getRestoreCheck();
        assertThat(check.getSucceeded()).as(check.getMessage()).isTrue();
        assertThat(check.getBackup()).isEqualTo("checked-20240510T120000Z.snapshot.db");
        try (var left = Files.list(scratch)) {
            assertThat(left.toList()).as("the scratch data dir is cleaned up").isEmpty();
        }

        // etcd's restore refusing (here: no such program) is reported, and the backup itself still counts.
        Map<String, String> broken = new HashMap<>(env);
        broken.put("ETCDUTL", tmp.resolve("no-etcdutl").toString());
        assertThat(command(ADMINS, Instant.parse("2024-05-10T13:00:00Z")).run(List.of(), broken)).isZero();
        var after = client.resources(EtcdCluster.class).inNamespace(NS).withName("checked").get().getStatus().getLastBackup();
        assertThat(after.getLocation()).endsWith("checked-20240510T130000Z.snapshot.db");
        assertThat(after.getRestoreCheck().getSucceeded()).isFalse();
        assertThat(after.getRestoreCheck().getMessage()).startsWith("restore failed: ");
    }

    /**
     * Issue 25: the restore check runs before retention, and a backup that fails it never pushes out the last one that
     * passed, even with keepLast 1; that one still restores by name. Once a check passes again, retention goes on as usual.
     */
    @Test
    void aFailedRestoreCheckNeverCostsTheLastBackupThatPassed() throws Exception {
        Map<String, String> env = checkedClusterEnv("guarded", 1);
        Path dir = Path.of(env.get(ToolEnv.BACKUP_DIR));
        Map<String, String> broken = new HashMap<>(env);
        broken.put("ETCDUTL", tmp.resolve("no-etcdutl").toString());
        Instant noon = Instant.parse("2024-05-10T12:00:00Z");

        assertThat(command(ADMINS, noon).run(List.of(), env)).isZero();
        for (int hour = 1; hour <= 2; hour++) {
            assertThat(command(ADMINS, noon.plus(Duration.ofHours(hour))).run(List.of(), broken)).isZero();
            var check = client.resources(EtcdCluster.class).inNamespace(NS).withName("guarded").get().getStatus().getLastBackup().getRestoreCheck();
            assertThat(check.getSucceeded()).isFalse();
            assertThat(check.getLastPassedBackup()).isEqualTo("guarded-20240510T120000Z.snapshot.db");
        }
        assertThat(backups(dir)).as("the failed 13:00 backup goes (keepLast 1); the one that passed stays")
                .containsExactly("guarded-20240510T120000Z.snapshot.db", "guarded-20240510T140000Z.snapshot.db");
        RestoreSpec restore = new RestoreSpec();
        restore.setPvc(pvcSpec(1).getPvc());
        restore.setBackup("guarded-20240510T120000Z.snapshot.db");
        assertRestoresEveryKey(restore, env);

        assertThat(command(ADMINS, noon.plus(Duration.ofHours(3))).run(List.of(), env)).isZero();
        assertThat(backups(dir)).containsExactly("guarded-20240510T150000Z.snapshot.db");
        assertThat(client.resources(EtcdCluster.class).inNamespace(NS).withName("guarded").get().getStatus().getLastBackup()
                .getRestoreCheck().getLastPassedBackup()).isEqualTo("guarded-20240510T150000Z.snapshot.db");
    }

    /** A cluster with spec.backup.restoreCheck on, and the backup tool's env for it: its backup dir, etcd's restore, a scratch dir. */
    private Map<String, String> checkedClusterEnv(String name, int keepLast) throws IOException {
        BackupSpec spec = pvcSpec(keepLast);
        spec.setRestoreCheck(true);
        EtcdCluster cluster = client.resource(withVersion(create(name, spec), EtcdBinaries.DEFAULT_VERSION)).update();
        return env(cluster, Map.of(ToolEnv.BACKUP_DIR, tmp.resolve(name).toString(), "ETCDUTL", EtcdBinaries.tested().restoreProgram(),
                ToolEnv.SCRATCH_DIR, Files.createDirectories(tmp.resolve("scratch")).toString()));
    }

    private static List<String> backups(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".snapshot.db")).sorted().toList();
        }
    }

    private static EtcdCluster withVersion(EtcdCluster cluster, String version) {
        cluster.getSpec().setVersion(version);
        return cluster;
    }
}
