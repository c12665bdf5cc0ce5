package com.storageos.etcd.tool.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.status.ProgressStatus;
import com.storageos.etcd.etcdclient.EtcdAdmin;
import com.storageos.etcd.etcdclient.JetcdEtcdAdminFactory;
import com.storageos.etcd.testing.EtcdTestCluster;
import com.storageos.etcd.testing.kube.ControlPlane;
import com.storageos.etcd.testing.kube.OperatorInstall;
import com.storageos.etcd.testing.kube.ProgressEntries;
import com.storageos.etcd.toolcontract.ToolEnv;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup of a 32 MiB database, its status.progress watched on a real API server as a user would: the bytes streamed grow
 * towards the member's database size, and the entry is gone once status.lastBackup tells the outcome.
 */
class BackupProgressApiServerTest {
    @TempDir
    Path tmp;

    @Test
    void aRunningBackupShowsTheBytesStreamedAndLeavesNoEntryWhenDone() throws Exception {
        try (ControlPlane plane = ControlPlane.start(false); EtcdTestCluster etcd = EtcdTestCluster.start(1);
             Client kv = Client.builder().endpoints(etcd.clientUrls().toArray(String[]::new)).build()) {
            OperatorInstall.applyCrd(plane, Path.of("crds", "etcdclusters.etcd.storageos.com-v1.yml"));
            KubernetesClient client = plane.admin();
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("ns").endMetadata().build()).create();
            EtcdCluster cluster = new EtcdCluster();
            cluster.setMetadata(new ObjectMetaBuilder().withName("progress").withNamespace("ns").build());
            cluster.getSpec().setBackup(BackupEtcdFixture.pvcSpec(3));
            client.resource(cluster).create();
            byte[] value = new byte[64 * 1024];
            for (int i = 0; i < 512; i++) {
                kv.getKVClient().put(ByteSequence.from("fill/" + i, StandardCharsets.UTF_8), ByteSequence.from(value)).get(5, TimeUnit.SECONDS);
            }
            long dbSize = settledDbSize(etcd.clientUrls());

            ProgressEntries progress = new ProgressEntries("Backup");
            // Each reading of this clock is 100 ms later: the snapshot streams in well under the tool's 2 s refresh here, so
            // the clock stands in for a large database on a slow disk, one refresh every 20 chunks written.
            BackupCommand backup = new BackupCommand(() -> client, new JetcdEtcdAdminFactory(Duration.ofSeconds(5)), new SteppingClock());
            try (Watch watch = client.resources(EtcdCluster.class).inNamespace("ns").withName("progress").watch(progress)) {
                assertThat(backup.run(List.of(), Map.of(ToolEnv.NAMESPACE, "ns", ToolEnv.CLUSTER_NAME, "progress",
                        ToolEnv.ENDPOINTS, etcd.clientUrls().get(0), ToolEnv.BACKUP_DIR, Files.createDirectories(tmp.resolve("b")).toString())))
                        .isZero();
            }

            List<ProgressStatus> seen = progress.seen();
            assertThat(seen).as("several refreshes while 32 MiB streamed").hasSizeGreaterThanOrEqualTo(3)
                    .allSatisfy(p -> {
                        assertThat(p.getUnit()).isEqualTo("Bytes");
                        assertThat(p.getTotal()).isEqualTo(dbSize);
                        assertThat(p.getMessage()).startsWith("streaming a snapshot from " + etcd.members().get(0).name() + ": ");
                        assertThat(p.getUpdateTime()).isNotNull();
                    });
            assertThat(seen).extracting(ProgressStatus::getDone).isSorted().doesNotHaveDuplicates();
            EtcdCluster after = client.resources(EtcdCluster.class).inNamespace("ns").withName("progress").get();
            assertThat(after.getStatus().getProgress()).as("the entry goes when the tool ends").isNull();
            assertThat(after.getStatus().getLastBackup().getSizeBytes()).isGreaterThanOrEqualTo(seen.get(seen.size() - 1).getDone());
        }
    }

    /**
     * The member's database size once its backend has committed the writes: etcd commits in batches (every 100 ms), so a
     * size read right after the last put can be one batch short of what the backup then reads.
     */
    private static long settledDbSize(List<String> urls) throws Exception {
        try (EtcdAdmin admin = new JetcdEtcdAdminFactory(Duration.ofSeconds(5)).connect(urls)) {
            long previous = -1;
            long size = admin.status(urls.get(0)).dbSize();
            while (size != previous) {
                Thread.sleep(300);
                previous = size;
                size = admin.status(urls.get(0)).dbSize();
            }
            return size;
        }
    }

    /** A clock that moves 100 ms at each reading. */
    private static final class SteppingClock extends Clock {
        private final AtomicLong millis = new AtomicLong(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.addAndGet(100));
        }
    }
}
