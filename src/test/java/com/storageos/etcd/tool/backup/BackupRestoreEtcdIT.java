package com.storageos.etcd.tool.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.spec.BackupSpec;
import com.storageos.etcd.api.v1alpha1.spec.RestoreSpec;
import com.storageos.etcd.api.v1alpha1.spec.S3DestinationSpec;
import com.storageos.etcd.api.v1alpha1.status.EtcdClusterStatus;
import com.storageos.etcd.etcdclient.ClientCredentials;
import com.storageos.etcd.etcdclient.EtcdAdmin;
import com.storageos.etcd.toolcontract.ToolEnv;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Backups to a directory and to S3, each restored; a corrupt snapshot and a foreign cluster never count as one. */
class BackupRestoreEtcdIT extends BackupEtcdFixture {
    @Test
    void backsUpToADirectoryFromAFollowerAppliesRetentionAndRestores() throws Exception {
        EtcdCluster cluster = create("dir", pvcSpec(2));
        Path dir = tmp.resolve("backups");
        Map<String, String> env = env(cluster, Map.of(ToolEnv.BACKUP_DIR, dir.toString()));
        Instant t0 = Instant.parse("2024-05-10T12:00:00Z");
        for (int i = 0; i < 3; i++) {
            assertThat(command(ADMINS, t0.plus(Duration.ofHours(i))).run(List.of(), env)).isZero();
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly("dir-20240510T130000Z.snapshot.db", "dir-20240510T140000Z.snapshot.db");
        }
        EtcdCluster after = client.resources(EtcdCluster.class).inNamespace(NS).withName("dir").get();
        assertThat(after.getStatus().getLastBackup().getLocation()).endsWith("dir-20240510T140000Z.snapshot.db");
        assertThat(after.getStatus().getLastBackup().getSha256()).hasSize(64);
        assertThat(after.getStatus().getLastBackup().getRevision()).as("at least one revision per key written").isGreaterThanOrEqualTo(KEYS);
        assertThat(after.getStatus().getLastBackup().getMember()).isNotEqualTo(leaderName());
        assertThat(condition(after).getStatus()).isEqualTo("True");

        RestoreSpec restore = new RestoreSpec();
        restore.setPvc(cluster.getSpec().getBackup().getPvc());
        assertRestoresEveryKey(restore, env);
        assertBootstrapToolSeedsMemberZero(restore, env);
    }

    @Test
    void backsUpToS3AndRestoresFromIt() throws Exception {
        S3DestinationSpec dest = s3.destination();
        BackupSpec spec = new BackupSpec();
        spec.setSchedule("@hourly");
        spec.setS3(dest);
        EtcdCluster cluster = create("obj", spec);
        Map<String, String> env = env(cluster, s3.credentials());
        assertThat(command(ADMINS, Instant.now()).run(List.of(), env)).isZero();
        EtcdCluster after = client.resources(EtcdCluster.class).inNamespace(NS).withName("obj").get();
        assertThat(after.getStatus().getLastBackup().getLocation()).startsWith("s3://" + dest.getBucket() + "/storageos/obj/obj-");
        RestoreSpec restore = new RestoreSpec();
        restore.setS3(dest);
        assertRestoresEveryKey(restore, env);
    }

    @Test
    void aCorruptSnapshotNeverCounts() throws Exception {
        EtcdCluster cluster = create("bad", pvcSpec(3));
        Path dir = tmp.resolve("bad");
        int exit = command(BackupRestoreEtcdIT::corrupting, Instant.now())
                .run(List.of(), env(cluster, Map.of(ToolEnv.BACKUP_DIR, dir.toString())));
        assertThat(exit).isEqualTo(1);
        try (var files = Files.list(dir)) {
            assertThat(files.toList()).isEmpty();
        }
        EtcdCluster after = client.resources(EtcdCluster.class).inNamespace(NS).withName("bad").get();
        assertThat(after.getStatus().getLastBackup()).isNull();
        assertThat(condition(after).getStatus()).isEqualTo("False");
        assertThat(condition(after).getMessage()).contains("sha256 trailer does not match");
    }

    /**
     * Every volume wiped and a member started anew: etcd answers under another cluster ID than status.clusterId. The Job
     * takes no snapshot (it would become what latest restores) and fails saying why; with the recorded ID it backs up.
     */
    @Test
    void noSnapshotIsTakenWhileEtcdAnswersAsAnotherClusterThanTheRecordedOne() throws Exception {
        EtcdCluster cluster = create("wiped", pvcSpec(3));
        long answering;
        try (EtcdAdmin admin = ADMINS.connect(etcd.clientUrls())) {
            answering = admin.clusterId();
        }
        cluster.setStatus(new EtcdClusterStatus());
        cluster.getStatus().setClusterId(Long.toHexString(answering ^ 1));
        client.resource(cluster).updateStatus();
        Path dir = Files.createDirectories(tmp.resolve("wiped"));
        Map<String, String> env = env(cluster, Map.of(ToolEnv.BACKUP_DIR, dir.toString()));
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        PrintStream was = System.err;
        int exit;
        try {
            System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
            exit = command(ADMINS, Instant.now()).run(List.of(), env);
        } finally {
            System.setErr(was);
        }
        assertThat(exit).isEqualTo(1);
        assertThat(stderr.toString(StandardCharsets.UTF_8)).as("the Job's termination message (FallbackToLogsOnError)")
                .contains("answers as cluster " + Long.toHexString(answering)).contains("no snapshot was taken");
        try (var files = Files.list(dir)) {
            assertThat(files.toList()).isEmpty();
        }
        EtcdCluster after = client.resources(EtcdCluster.class).inNamespace(NS).withName("wiped").get();
        assertThat(after.getStatus().getLastBackup()).isNull();
        assertThat(condition(after).getStatus()).isEqualTo("False");
        assertThat(condition(after).getReason()).isEqualTo("ClusterIdMismatch");
        assertThat(condition(after).getMessage()).contains("records status.clusterId " + Long.toHexString(answering ^ 1));

        after.getStatus().setClusterId(Long.toHexString(answering));
        client.resource(after).updateStatus();
        assertThat(command(ADMINS, Instant.now()).run(List.of(), env)).as("etcd answers as the recorded cluster").isZero();
        assertThat(condition(client.resources(EtcdCluster.class).inNamespace(NS).withName("wiped").get()).getReason())
                .isEqualTo("BackupCompleted");
    }

    /** Every snapshot from this factory has one byte flipped on its way out. */
    private static EtcdAdmin corrupting(List<String> urls, ClientCredentials tls) {
        EtcdAdmin real = ADMINS.connect(urls, tls);
        return (EtcdAdmin) Proxy.newProxyInstance(EtcdAdmin.class.getClassLoader(), new Class<?>[] {EtcdAdmin.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("snapshot")) {
                        args[1] = flipAt((OutputStream) args[1], 5000);
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static OutputStream flipAt(OutputStream out, long offset) {
        return new FilterOutputStream(out) {
            long pos;

            @Override
            public void write(int b) throws IOException {
                out.write(pos++ == offset ? b ^ 0x01 : b);
            }
        };
    }
}
