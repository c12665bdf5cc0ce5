package com.storageos.etcd.tool.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.spec.BackupSpec;
import com.storageos.etcd.api.v1alpha1.spec.PvcDestinationSpec;
import com.storageos.etcd.api.v1alpha1.spec.RestoreSpec;
import com.storageos.etcd.api.v1alpha1.status.EtcdClusterStatus;
import com.storageos.etcd.desired.EtcdFlags;
import com.storageos.etcd.desired.TlsLayout;
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
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backup tool's tests' shared ground: a real 3-member etcd holding {@value #KEYS} keys, an S3 stand-in, and the kube
 * mock client the tool reads and writes its EtcdCluster through (a narrow wiring: no Kubernetes behaviour is under test).
 */
@EnableKubernetesMockClient(crud = true)
abstract class BackupEtcdFixture {
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

    void assertRestoresEveryKey(RestoreSpec restore, Map<String, String> env) throws Exception {
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

    /** The member pod's init container, under a Bootstrap journal with spec.bootstrap.restore, starts member 0 on the backup. */
    void assertBootstrapToolSeedsMemberZero(RestoreSpec restore, Map<String, String> toolEnv) throws Exception {
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

    static BackupCommand command(EtcdAdminFactory admins, Instant at) {
        return new BackupCommand(() -> client, admins, Clock.fixed(at, ZoneOffset.UTC));
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
