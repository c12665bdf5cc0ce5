package com.storageos.etcd.tool.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.spec.BootstrapSpec;
import com.storageos.etcd.api.v1alpha1.spec.RestoreSpec;
import com.storageos.etcd.api.v1alpha1.status.EtcdClusterStatus;
import com.storageos.etcd.desired.EtcdFlags;
import com.storageos.etcd.desired.TlsLayout;
import com.storageos.etcd.membership.Journal;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.naming.LoopbackMemberAddressing;
import com.storageos.etcd.status.PendingChanges;
import com.storageos.etcd.testing.EtcdBinaries;
import com.storageos.etcd.tool.bootstrap.BootstrapCommand;
import com.storageos.etcd.toolcontract.BootstrapToolEnv;
import com.storageos.etcd.toolcontract.MemberPaths;
import com.storageos.etcd.toolcontract.ToolEnv;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.GetOption;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Member 0's bootstrap seeding a new cluster from a backup, and refusing a target the store cannot serve. */
class BootstrapRestoreEtcdIT extends BackupEtcdFixture {
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
}
