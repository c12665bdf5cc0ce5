package com.storageos.etcd.tool.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.spec.BackupSpec;
import com.storageos.etcd.api.v1alpha1.spec.BootstrapSpec;
import com.storageos.etcd.api.v1alpha1.spec.PvcDestinationSpec;
import com.storageos.etcd.api.v1alpha1.spec.RestoreSpec;
import com.storageos.etcd.api.v1alpha1.spec.S3DestinationSpec;
import com.storageos.etcd.api.v1alpha1.status.EtcdClusterStatus;
import com.storageos.etcd.desired.EtcdFlags;
import com.storageos.etcd.desired.TlsLayout;
import com.storageos.etcd.etcdclient.ClientCredentials;
import com.storageos.etcd.etcdclient.EtcdAdmin;
import com.storageos.etcd.etcdclient.EtcdAdminFactory;
import com.storageos.etcd.etcdclient.JetcdEtcdAdminFactory;
import com.storageos.etcd.membership.Journal;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.naming.LoopbackMemberAddressing;
import com.storageos.etcd.status.PendingChanges;
import com.storageos.etcd.testing.EtcdBinaries;
import com.storageos.etcd.testing.EtcdProcess;
import com.storageos.etcd.testing.EtcdTestCluster;
import com.storageos.etcd.tool.bootstrap.BootstrapCommand;
import com.storageos.etcd.tool.restore.RestoreBinary;
import com.storageos.etcd.tool.restore.SnapshotRestorer;
import com.storageos.etcd.toolcontract.BootstrapToolEnv;
import com.storageos.etcd.toolcontract.MemberPaths;
import com.storageos.etcd.toolcontract.ToolEnv;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.GetOption;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@EnableKubernetesMockClient(crud = true)
class BackupRestoreEtcdIT {
    static final String NS = "storageos";
    static final int KEYS = 300;
    static final EtcdAdminFactory ADMINS = new JetcdEtcdAdminFactory(Duration.ofSeconds(5));
    static KubernetesClient client;
    static EtcdTestCluster etcd;
    static S3Server s3;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startEtcdAndS3() throws Exception {
        etcd = EtcdTestCluster.start(3);
        try (Client kv = Client.builder().endpoints(etcd.clientUrls().toArray(String[]::new)).build()) {
            byte[] value = new byte[2048];
            for (int i = 0; i < KEYS; i++) {
                kv.getKVClient().put(bytes("key/" + i), ByteSequence.from(("v" + i + new String(value)).getBytes()))
                        .get(5, TimeUnit.SECONDS);
            }
        }
        s3 = S3Server.start();
    }

    @AfterAll
    static void stop() throws Exception {
        etcd.close();
        s3.close();
    }

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

    /**
     * Issue 13: a new cluster under another name restores the backups of the cluster that lost its data
     * (spec.bootstrap.restore.clusterName), and data an earlier cluster left on member 0's volume never wins over the
     * requested restore: it is moved aside, and member 0 starts on the backup. The tool reads its EtcdCluster as in the pod.
     */
    @Test
    void aNewClusterRestoresAnotherClustersBackupOverAStaleVolume() throws Exception {
        EtcdCluster lost = create("lost", pvcSpec(2));
        Path volume = tmp.resolve("backup-volume");
        assertThat(command(ADMINS, Instant.parse("2024-05-10T12:00:00Z")).run(List.of(),
                env(lost, Map.of(ToolEnv.BACKUP_DIR, volume.resolve("lost").toString())))).isZero();

        RestoreSpec restore = new RestoreSpec();
        restore.setClusterName("lost");
        restore.setPvc(lost.getSpec().getBackup().getPvc());
        EtcdCluster fresh = new EtcdCluster();
        fresh.setMetadata(new ObjectMetaBuilder().withName("fresh").withNamespace(NS).withUid("uid-of-fresh").build());
        fresh.getSpec().setVersion(EtcdBinaries.DEFAULT_VERSION);
        fresh.getSpec().setBootstrap(new BootstrapSpec());
        fresh.getSpec().getBootstrap().setRestore(restore);
        fresh = client.resource(fresh).create();
        var status = new EtcdClusterStatus();
        status.setPendingChange(PendingChanges.write(Journal.bootstrap(0,
                Set.of(), Instant.now()), "fresh-0", null));
        fresh.setStatus(status);
        client.resource(fresh).updateStatus();

        // What an earlier cluster named "fresh" left on the claim data-fresh-0: a data dir with a WAL, and its marker.
        Path data = tmp.resolve("fresh-0/data");
        Files.createDirectories(data.resolve("member/wal"));
        Files.writeString(data.resolve("member/wal/0000000000000000-0000000000000000.wal"), "stale");
        Files.writeString(data.resolveSibling("data.member"), "bootstrap\n");

        var names = new ClusterNames("fresh", NS);
        var addressing = new LoopbackMemberAddressing(
                ThreadLocalRandom.current().nextInt(2, 250), ThreadLocalRandom.current().nextInt(1, 250));
        Map<String, String> env = new HashMap<>(Map.of(
                BootstrapToolEnv.POD_NAME, "fresh-0",
                BootstrapToolEnv.POD_NAMESPACE, NS,
                BootstrapToolEnv.CLUSTER_NAME, "fresh",
                BootstrapToolEnv.CONFIG_TEMPLATE, new ObjectMapper()
                        .writeValueAsString(EtcdFlags.template(names, null, addressing,
                                TlsLayout.NONE)),
                "ETCD_DATA_DIR", data.toString(),
                "ETCDUTL", EtcdBinaries.tested().restoreProgram(),
                "ETCD", EtcdBinaries.tested().etcd(),
                // The pod's BACKUP_DIR (/backup/lost on the restore-source mount), here the volume's directory.
                ToolEnv.BACKUP_DIR, volume.resolve("lost").toString(),
                "TERMINATION_MESSAGE_PATH", tmp.resolve("termination-log").toString()));
        assertThat(new BootstrapCommand(
                () -> new KubernetesClientBuilder().withConfig(client.getConfiguration()).build()).run(List.of(), env)).isZero();

        try (var siblings = Files.list(data.getParent())) {
            assertThat(siblings.filter(p -> p.getFileName().toString().startsWith("data.before-recovery-") && Files.isDirectory(p)).toList())
                    .as("the stale data is moved aside, never deleted").singleElement()
                    .satisfies(aside -> assertThat(aside.resolve("member/wal/0000000000000000-0000000000000000.wal")).hasContent("stale"));
        }
        Process etcdProcess = new ProcessBuilder(EtcdBinaries.tested().etcd(), "--config-file=" + data.resolve(MemberPaths.CONFIG_FILE_IN_DATA_DIR))
                .redirectErrorStream(true).redirectOutput(tmp.resolve("fresh-etcd.log").toFile()).start();
        try (Client kv = Client.builder().endpoints(addressing.clientUrl(names, 0, false)).build()) {
            var all = kv.getKVClient().get(bytes("key/"), GetOption.builder().isPrefix(true).build()).get(20, TimeUnit.SECONDS);
            assertThat(all.getKvs()).as("member 0 of the new cluster starts on the lost cluster's backup").hasSize(KEYS);
        } finally {
            etcdProcess.destroyForcibly().waitFor();
        }
    }

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

    /** The member pod's init container, under a Bootstrap journal with spec.bootstrap.restore, starts member 0 on the backup. */
    /**
     * Issue 31: member 0's bootstrap plans the restore before it touches its volume, so a target the store cannot serve
     * (a revision no chain reaches: this store holds a snapshot without a chain) is refused with the data where it was.
     */
    @Test
    void aTargetTheStoreCannotServeIsRefusedBeforeTheVolumeIsTouched() throws Exception {
        EtcdCluster cluster = create("far", pvcSpec(2));
        Map<String, String> env = new HashMap<>(env(cluster, Map.of(ToolEnv.BACKUP_DIR, tmp.resolve("far-backups").toString())));
        assertThat(command(ADMINS, Instant.parse("2024-05-10T12:00:00Z")).run(List.of(), env)).isZero();
        RestoreSpec restore = new RestoreSpec();
        restore.setPvc(cluster.getSpec().getBackup().getPvc());
        restore.setRevision(1L);
        Path data = tmp.resolve("far-0/data");
        Files.createDirectories(data.resolve("member/wal"));
        Files.writeString(data.resolve("member/wal/0000000000000000-0000000000000000.wal"), "earlier");
        var addressing = new LoopbackMemberAddressing(
                ThreadLocalRandom.current().nextInt(2, 250), ThreadLocalRandom.current().nextInt(1, 250));
        env.put(BootstrapToolEnv.CONFIG_TEMPLATE, new ObjectMapper()
                .writeValueAsString(EtcdFlags.template(new ClusterNames("far", NS), null,
                        addressing, TlsLayout.NONE)));
        env.put("ETCD_DATA_DIR", data.toString());
        env.put("TERMINATION_MESSAGE_PATH", tmp.resolve("far-termination-log").toString());
        var status = new EtcdClusterStatus();
        status.setPendingChange(PendingChanges.write(Journal.bootstrap(0,
                Set.of(), Instant.now()), "far-0", null));

        int exit = new BootstrapCommand().bootstrap("far-0", 0, status,
                Optional.of(new BootstrapCommand.Restore(restore, EtcdBinaries.DEFAULT_VERSION,
                        "restored-into test")), Optional.empty(), env);

        assertThat(exit).isEqualTo(1);
        assertThat(Files.readString(tmp.resolve("far-termination-log"))).startsWith("RestoreRefused: cannot restore revision 1:"
                + " no backup's chain reaches back to revision 1").contains("nothing on the volumes was changed");
        assertThat(data.resolve("member/wal/0000000000000000-0000000000000000.wal")).as("the data stays where it was").hasContent("earlier");
        try (var siblings = Files.list(data.getParent())) {
            assertThat(siblings.map(p -> p.getFileName().toString())).as("nothing moved aside").noneMatch(n -> n.startsWith("data.before-"));
        }
    }

    private void assertBootstrapToolSeedsMemberZero(RestoreSpec restore, Map<String, String> toolEnv) throws Exception {
        var names = new ClusterNames("dir", NS);
        var addressing = new LoopbackMemberAddressing(
                ThreadLocalRandom.current().nextInt(2, 250), ThreadLocalRandom.current().nextInt(1, 250));
        Map<String, String> env = new HashMap<>(toolEnv);
        env.put(BootstrapToolEnv.CONFIG_TEMPLATE, new ObjectMapper()
                .writeValueAsString(EtcdFlags.template(names, null, addressing, TlsLayout.NONE)));
        env.put("ETCD_DATA_DIR", tmp.resolve("seed/data").toString());
        env.put("ETCDUTL", EtcdBinaries.tested().restoreProgram());
        env.put("ETCD", EtcdBinaries.tested().etcd());
        var status = new EtcdClusterStatus();
        status.setPendingChange(PendingChanges.write(Journal.start(
                Journal.Operation.Bootstrap, Journal.Phase.Starting,
                0, "", 0, Instant.now()), "dir-0", null));
        int exit = new BootstrapCommand().bootstrap("dir-0", 0, status,
                Optional.of(new BootstrapCommand.Restore(restore, EtcdBinaries.DEFAULT_VERSION, "restored-into test")), Optional.empty(), env);
        assertThat(exit).isZero();
        Process etcdProcess = new ProcessBuilder(EtcdBinaries.tested().etcd(), "--config-file=" + tmp.resolve("seed/data").resolve(MemberPaths.CONFIG_FILE_IN_DATA_DIR))
                .redirectErrorStream(true).redirectOutput(tmp.resolve("seed/etcd.log").toFile()).start();
        try (Client kv = Client.builder().endpoints(addressing.clientUrl(names, 0, false)).build()) {
            var all = kv.getKVClient().get(bytes("key/"), GetOption.builder().isPrefix(true).build()).get(20, TimeUnit.SECONDS);
            assertThat(all.getKvs()).as("member 0 starts on the restored data").hasSize(KEYS);
        } finally {
            etcdProcess.destroyForcibly().waitFor();
        }
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

    private void assertRestoresEveryKey(RestoreSpec restore, Map<String, String> env) throws Exception {
        try (EtcdProcess fresh = EtcdProcess.reserve("restored")) {
            BackupName restored = new SnapshotRestorer(new RestoreBinary("/usr/bin/etcdctl"))
                    .restore(restore, env, fresh.name(), fresh.peerUrl(), "restore-token", fresh.dataDir());
            assertThat(restored.name()).endsWith(".snapshot.db");
            fresh.startNewCluster();
            try (Client kv = Client.builder().endpoints(fresh.clientUrl()).build()) {
                var all = kv.getKVClient().get(bytes("key/"), GetOption.builder().isPrefix(true).build()).get(5, TimeUnit.SECONDS);
                assertThat(all.getKvs()).hasSize(KEYS);
                assertThat(all.getKvs()).allSatisfy(k -> assertThat(k.getValue().toString(StandardCharsets.UTF_8))
                        .startsWith("v" + k.getKey().toString(StandardCharsets.UTF_8).substring(4)));
            }
        }
    }

    private static BackupCommand command(EtcdAdminFactory admins, Instant at) {
        return new BackupCommand(() -> client, admins, Clock.fixed(at, ZoneOffset.UTC));
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

    static EtcdCluster create(String name, BackupSpec backup) {
        EtcdCluster c = new EtcdCluster();
        c.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
        c.getSpec().setBackup(backup);
        return client.resource(c).create();
    }

    static BackupSpec pvcSpec(int keepLast) {
        BackupSpec spec = new BackupSpec();
        spec.setSchedule("@hourly");
        PvcDestinationSpec pvc = new PvcDestinationSpec();
        pvc.setClaimName("backups");
        spec.setPvc(pvc);
        spec.getRetention().setKeepLast(keepLast);
        return spec;
    }

    static Map<String, String> env(EtcdCluster cluster, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(extra);
        env.put(ToolEnv.NAMESPACE, NS);
        env.put(ToolEnv.CLUSTER_NAME, cluster.getMetadata().getName());
        env.put(ToolEnv.ENDPOINTS, String.join(",", etcd.clientUrls()));
        return env;
    }

    static String leaderName() {
        try (EtcdAdmin admin = ADMINS.connect(etcd.clientUrls())) {
            return etcd.members().stream().filter(m -> admin.status(m.clientUrl()).isLeader()).findFirst().orElseThrow().name();
        }
    }

    static Condition condition(EtcdCluster c) {
        return c.getStatus().getConditions().stream().filter(x -> x.getType().equals(BackupCommand.CONDITION)).findFirst().orElseThrow();
    }

    static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }
}
