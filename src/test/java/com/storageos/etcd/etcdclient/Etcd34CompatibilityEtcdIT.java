package com.storageos.etcd.etcdclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.spec.PvcDestinationSpec;
import com.storageos.etcd.api.v1alpha1.spec.RestoreSpec;
import com.storageos.etcd.desired.MemberStatefulSet;
import com.storageos.etcd.desired.RenderSettings;
import com.storageos.etcd.naming.DnsMemberAddressing;
import com.storageos.etcd.testing.EtcdBinaries;
import com.storageos.etcd.testing.EtcdProcess;
import com.storageos.etcd.testing.EtcdTestCluster;
import com.storageos.etcd.tool.backup.BackupName;
import com.storageos.etcd.tool.restore.RestoreBinary;
import com.storageos.etcd.tool.restore.SnapshotRestorer;
import com.storageos.etcd.toolcontract.ToolEnv;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The 3.4 line kept honest while the suites run the tested 3.5 line: on Debian's etcd 3.4.23, the probes rendered for
 * 3.4 answer, a learner joins and is promoted, and a backup restores through etcdctl (3.4 has no etcdutl).
 */
class Etcd34CompatibilityEtcdIT {
    static final EtcdBinaries V3_4 = EtcdBinaries.of(EtcdBinaries.V3_4);
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    final EtcdAdminFactory admins = new JetcdEtcdAdminFactory(Duration.ofSeconds(5));

    @Test
    void theProbesRenderedFor34AnswerOnA34Member() throws Exception {
        try (EtcdTestCluster etcd = EtcdTestCluster.start(V3_4, 1); EtcdAdmin admin = admins.connect(etcd.clientUrls())) {
            assertThat(admin.status(etcd.clientUrls().get(0)).version()).isEqualTo(EtcdBinaries.V3_4);
            EtcdCluster cluster = new EtcdCluster();
            cluster.setMetadata(new ObjectMetaBuilder().withName("compat").withNamespace("storageos").withUid("uid").build());
            cluster.getSpec().setVersion(EtcdBinaries.V3_4);
            RenderSettings settings = new RenderSettings("operator:test", "gcr.io/etcd-development/etcd", new DnsMemberAddressing("cluster.local"), List.of(), false);
            Container member = MemberStatefulSet.build(cluster, 1, settings, null).getSpec().getTemplate().getSpec().getContainers().get(0);
            assertThat(member.getLivenessProbe().getHttpGet().getPath()).as("3.4.23 ignores ?serializable, so liveness reads /metrics")
                    .isEqualTo("/metrics");
            // A test member serves the same /health and /metrics on its client listener as a pod on its metrics one.
            for (Probe probe : List.of(member.getLivenessProbe(), member.getStartupProbe(), member.getReadinessProbe())) {
                String url = etcd.clientUrls().get(0) + probe.getHttpGet().getPath();
                assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode())
                        .as(url).isEqualTo(200);
            }
        }
    }

    @Test
    void aLearnerJoinsAndIsPromoted() {
        try (EtcdTestCluster etcd = EtcdTestCluster.start(V3_4, 1)) {
            EtcdProcess joining = etcd.reserveMember();
            try (EtcdAdmin admin = admins.connect(List.of(etcd.member(0).clientUrl(), joining.clientUrl()))) {
                MemberAddResult added = admin.addLearner(joining.peerUrl());
                etcd.join(joining, added.members());
                await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
                    admin.promote(added.added().id());
                    return true;
                });
                assertThat(admin.listMembers()).hasSize(2).allMatch(m -> m.started() && !m.learner());
                assertThat(admin.status(joining.clientUrl()).version()).isEqualTo(EtcdBinaries.V3_4);
            }
        }
    }

    @Test
    void aBackupRestoresThroughEtcdctl(@TempDir Path tmp) throws Exception {
        Path store = Files.createDirectories(tmp.resolve("store"));
        try (EtcdTestCluster etcd = EtcdTestCluster.start(V3_4, 1);
             Client kv = Client.builder().endpoints(etcd.clientUrls().toArray(String[]::new)).build();
             EtcdAdmin admin = admins.connect(etcd.clientUrls())) {
            kv.getKVClient().put(bytes("kept"), bytes("on 3.4")).get(5, TimeUnit.SECONDS);
            try (OutputStream out = Files.newOutputStream(store.resolve(BackupName.of("compat", Instant.now()).name()))) {
                admin.snapshot(etcd.clientUrls().get(0), out);
            }
        }
        RestoreBinary binary = RestoreBinary.forVersion(EtcdBinaries.V3_4, Map.of("ETCDCTL", V3_4.etcdctl()));
        assertThat(binary.path()).as("3.4 restores with etcdctl").isEqualTo(V3_4.etcdctl());
        RestoreSpec restore = new RestoreSpec();
        restore.setPvc(new PvcDestinationSpec());
        try (EtcdProcess fresh = EtcdProcess.reserve("compat-restored").release(V3_4)) {
            new SnapshotRestorer(binary).restore(restore, Map.of(ToolEnv.NAMESPACE, "storageos", ToolEnv.CLUSTER_NAME, "compat",
                    ToolEnv.BACKUP_DIR, store.toString()), fresh.name(), fresh.peerUrl(), "compat-token", fresh.dataDir());
            fresh.startNewCluster();
            try (Client kv = Client.builder().endpoints(fresh.clientUrl()).build()) {
                var got = kv.getKVClient().get(bytes("kept")).get(5, TimeUnit.SECONDS).getKvs();
                assertThat(got).singleElement().satisfies(k -> assertThat(k.getValue().toString(StandardCharsets.UTF_8)).isEqualTo("on 3.4"));
            }
        }
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }
}
