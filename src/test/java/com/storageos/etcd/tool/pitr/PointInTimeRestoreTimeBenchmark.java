package com.storageos.etcd.tool.pitr;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.etcdclient.EtcdAdmin;
import com.storageos.etcd.etcdclient.JetcdEtcdAdminFactory;
import com.storageos.etcd.testing.EtcdBinaries;
import com.storageos.etcd.testing.EtcdTestCluster;
import com.storageos.etcd.tool.backup.BackupName;
import com.storageos.etcd.tool.backup.BackupStore;
import com.storageos.etcd.tool.backup.DirectoryBackupStore;
import com.storageos.etcd.tool.restore.RestoreBinary;
import com.storageos.etcd.tool.restore.SnapshotRestorer;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 31's restore-time measure, printed: a full snapshot of {@code pitr.bench.mib} MiB (default 1024) plus a chain of
 * {@code pitr.bench.changes} changes (default 100,000), restored to latest, against etcd's own restore of the snapshot
 * alone, in the same run. Run with {@code ./mvnw test -Dtest=PointInTimeRestoreTimeBenchmark}; it needs about five times
 * the snapshot's size in free disk.
 */
class PointInTimeRestoreTimeBenchmark {
    private static final int VALUE_BYTES = 512 * 1024;

    @TempDir
    Path tmp;

    @Test
    void restoresASnapshotAndItsChain() throws Exception {
        long mib = Long.getLong("pitr.bench.mib", 1024);
        int changes = Integer.getInteger("pitr.bench.changes", 100_000);
        String etcdBinary = EtcdBinaries.tested().etcd();
        try (EtcdTestCluster etcd = EtcdTestCluster.start(1, "--quota-backend-bytes=" + (mib + 1024) * 1024 * 1024);
             Client client = Client.builder().endpoints(etcd.clientUrls().toArray(String[]::new)).build();
             EtcdAdmin admin = new JetcdEtcdAdminFactory(Duration.ofMinutes(10)).connect(etcd.clientUrls())) {
            long start = System.nanoTime();
            PipelinedPuts.put(client, (int) (mib * 1024 * 1024 / VALUE_BYTES), i -> "bulk/" + i, ByteSequence.from(new byte[VALUE_BYTES]));
            System.out.printf("wrote %d MiB in %.1f s%n", mib, seconds(start));

            BackupStore store = new DirectoryBackupStore(tmp.resolve("backups"), "pitr");
            ChangeFollower follower = new ChangeFollower(store, "pitr", admin, etcd.clientUrls(), null, Clock.systemUTC(),
                    Duration.ofSeconds(1), line -> System.out.println("follower: " + line));
            start = System.nanoTime();
            Thread following = FollowerThread.start(follower, System.out::println);
            while (follower.recoveryPoint().isEmpty()) {
                Thread.sleep(100);
            }
            System.out.printf("full snapshot taken and stored in %.1f s%n", seconds(start));

            start = System.nanoTime();
            long last = PipelinedPuts.put(client, changes, i -> "change/" + (i % 1000), ByteSequence.from(new byte[100]));
            System.out.printf("wrote %d changes in %.1f s%n", changes, seconds(start));
            while (follower.recoveryPoint().orElseThrow().revision() < last) {
                Thread.sleep(100);
            }
            follower.stop();
            following.join();

            SnapshotRestorer layout = new SnapshotRestorer(new RestoreBinary(EtcdBinaries.tested().restoreProgram()));
            BackupName snapshot = store.list().stream().max(Comparator.naturalOrder()).orElseThrow();
            start = System.nanoTime();
            Path fetched = tmp.resolve("snapshot.db");
            store.fetch(snapshot, fetched);
            layout.layOut(fetched, "m0", "http://127.0.0.1:2380", "bench", tmp.resolve("snapshot-only").resolve("data"));
            double snapshotOnly = seconds(start);
            Files.delete(fetched);
            SnapshotRestorer.deleteTree(tmp.resolve("snapshot-only"));

            start = System.nanoTime();
            ReplayResult result = new PointInTimeRestorer(layout, etcdBinary)
                    .restore(store, "latest", "m0", "http://127.0.0.1:2380", "bench", tmp.resolve("pitr").resolve("data"));
            double pointInTime = seconds(start);
            assertThat(result.recoveredRevision()).as(result.message()).isEqualTo(last);
            System.out.printf("restore of %d MiB: snapshot alone (fetch + etcd's restore) %.1f s; snapshot + %d changes to latest"
                    + " %.1f s (x%.1f, %.0f changes/s replayed)%n", mib, snapshotOnly, result.recoveredRevision() - result.snapshotRevision(),
                    pointInTime, pointInTime / snapshotOnly, (result.recoveredRevision() - result.snapshotRevision()) / (pointInTime - snapshotOnly));
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
