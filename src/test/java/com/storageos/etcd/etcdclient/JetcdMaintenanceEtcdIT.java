package com.storageos.etcd.etcdclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.storageos.etcd.testing.EtcdTestCluster;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.CompactOption;
import io.etcd.jetcd.options.DeleteOption;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link JetcdEtcdAdmin}'s maintenance calls against real etcd processes: defragment, snapshot, the NOSPACE alarm. */
class JetcdMaintenanceEtcdIT extends JetcdEtcdAdminFixture {
    @Test
    void defragmentReclaimsSpaceFreedByDeleteAndCompaction() throws Exception {
        try (EtcdTestCluster cluster = EtcdTestCluster.start(1);
                EtcdAdmin admin = factory.connect(cluster.clientUrls());
                Client client = Client.builder().endpoints(cluster.clientUrls().toArray(String[]::new)).build()) {
            String url = cluster.member(0).clientUrl();
            fill(client, 32, 64 * 1024);
            deleteAllAndCompact(client);

            // etcd 3.4 recomputes "in use" at a backend commit after the pages were freed: write once more.
            client.getKVClient().put(bytes("marker"), bytes("x")).get(5, TimeUnit.SECONDS);
            EndpointStatus before = eventually(Duration.ofSeconds(5), () -> {
                EndpointStatus s = admin.status(url);
                assertThat(s.dbSizeInUse()).isLessThan(s.dbSize() / 2);
                return s;
            });
            assertThat(before.dbSize()).isGreaterThan(2_000_000);
            admin.defragment(url);
            EndpointStatus after = admin.status(url);
            assertThat(after.dbSize()).isLessThan(before.dbSize() / 2);
            assertThat(after.dbSizeInUse()).isPositive().isLessThanOrEqualTo(after.dbSize());
        }
    }

    @Test
    void snapshotEndsWithSha256OfEverythingBefore() throws Exception {
        try (EtcdTestCluster cluster = EtcdTestCluster.start(1);
                EtcdAdmin admin = factory.connect(cluster.clientUrls());
                Client client = Client.builder().endpoints(cluster.clientUrls().toArray(String[]::new)).build()) {
            fill(client, 4, 1024);
            ByteArrayOutputStream out = new ByteArrayOutputStream();

            long written = admin.snapshot(cluster.member(0).clientUrl(), out);

            byte[] bytes = out.toByteArray();
            assertThat(written).isEqualTo(bytes.length).isGreaterThan(32);
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(Arrays.copyOf(bytes, bytes.length - 32));
            assertThat(Arrays.copyOfRange(bytes, bytes.length - 32, bytes.length)).isEqualTo(digest);
        }
    }

    @Test
    void nospaceAlarmIsReportedAndClearedAfterDefragAndDisarm() throws Exception {
        try (EtcdTestCluster cluster = EtcdTestCluster.start(1, "--quota-backend-bytes=" + (1024 * 1024));
                EtcdAdmin admin = factory.connect(cluster.clientUrls());
                Client client = Client.builder().endpoints(cluster.clientUrls().toArray(String[]::new)).build()) {
            String url = cluster.member(0).clientUrl();
            long self = admin.listMembers().get(0).id();
            Throwable full = catchThrowableOfType(Exception.class, () -> fill(client, 100, 64 * 1024));
            assertThat(full).hasStackTraceContaining("database space exceeded");

            assertThat(eventually(Duration.ofSeconds(3), () -> {
                List<EtcdAlarm> alarms = admin.alarms();
                assertThat(alarms).isNotEmpty();
                return alarms;
            })).containsExactly(new EtcdAlarm(self, EtcdAlarm.NOSPACE));
            assertThat(admin.isHealthy(url)).as("reads still work under NOSPACE").isTrue();

            deleteAllAndCompact(client);
            admin.defragment(url);
            admin.disarm(new EtcdAlarm(0, EtcdAlarm.NOSPACE));

            assertThat(admin.alarms()).isEmpty();
            client.getKVClient().put(bytes("after"), bytes("ok")).get(5, TimeUnit.SECONDS);
        }
    }

    private static void fill(Client client, int count, int valueSize) throws Exception {
        byte[] value = new byte[valueSize];
        for (int i = 0; i < count; i++) {
            Arrays.fill(value, (byte) i);
            client.getKVClient().put(bytes("fill/" + i), ByteSequence.from(value)).get(5, TimeUnit.SECONDS);
        }
    }

    private static void deleteAllAndCompact(Client client) throws Exception {
        long revision = client.getKVClient()
                .delete(bytes("fill/"), DeleteOption.builder().isPrefix(true).build())
                .get(5, TimeUnit.SECONDS).getHeader().getRevision();
        client.getKVClient().compact(revision, CompactOption.builder().withCompactPhysical(true).build())
                .get(5, TimeUnit.SECONDS);
    }
}
