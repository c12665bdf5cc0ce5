package com.storageos.etcd.tool.pitr;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.testing.EtcdBinaries;
import com.storageos.etcd.tool.backup.BackupStore;
import com.storageos.etcd.tool.backup.ChunkName;
import com.storageos.etcd.tool.backup.DirectoryBackupStore;
import com.storageos.etcd.tool.backup.S3Server;
import com.storageos.etcd.tool.restore.RestoreBinary;
import com.storageos.etcd.tool.restore.SnapshotRestorer;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.support.Observers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Issue 31: the follower writes a chain while a client writes; restores to latest, to a revision, past a corrupt chunk. */
class PointInTimeRestoreEtcdIT extends OneMemberEtcdFixture {
    private static final AtomicInteger RESTORES = new AtomicInteger();


    @Test
    void aDirectoryStoreRestoresLatestAMidChainRevisionAndStopsAtACorruptChunk() throws Exception {
        BackupStore store = new DirectoryBackupStore(tmp.resolve("backups"), "pitr");
        Followed run = follow(store, Duration.ofSeconds(8));

        ReplayResult latest = restore(store, "latest");
        assertThat(latest.complete()).as(latest.message()).isTrue();
        assertThat(latest.recoveredRevision()).as("every write acknowledged 5 s before the stop")
                .isGreaterThanOrEqualTo(run.workload.lastAckedBy(run.stoppedAt.minusSeconds(5)));
        assertThat(run.restored).as("exactly the keys etcd held at the recovered revision")
                .isEqualTo(Workload.state(client, latest.recoveredRevision()));

        long mid = run.workload.acks.get(run.workload.acks.size() / 2).revision();
        ReplayResult atMid = restore(store, "revision:" + mid);
        assertThat(atMid.recoveredRevision()).as(atMid.message()).isEqualTo(mid);
        assertThat(atMid.snapshotRevision()).as("the mid revision lies in the chain, not in the snapshot").isLessThan(mid);
        assertThat(lastRestored).isEqualTo(Workload.state(client, mid));

        List<ChunkName> chain = store.chunks().stream().sorted().toList();
        ChunkName bad = chain.get(chain.size() / 2);
        Path file = tmp.resolve("backups").resolve(bad.name());
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x20;
        Files.write(file, bytes);
        ReplayResult stopped = restore(store, "latest");
        assertThat(stopped.complete()).isFalse();
        assertThat(stopped.recoveredRevision()).as("the last good revision").isEqualTo(bad.first() - 1);
        assertThat(stopped.message()).contains("revisions " + bad.first() + "..", "were not recovered", "fails its SHA-256 checksum");
        assertThat(lastRestored).isEqualTo(Workload.state(client, bad.first() - 1));
    }

    @Test
    void anS3StoreRestoresLatestAndAMidChainRevision() throws Exception {
        try (S3Server s3 = S3Server.start();
             BackupStore store = BackupStore.open(null, s3.destination(), s3.credentials(), "ns", "pitr")) {
            Followed run = follow(store, Duration.ofSeconds(6));
            ReplayResult latest = restore(store, "latest");
            assertThat(latest.recoveredRevision()).as(latest.message())
                    .isGreaterThanOrEqualTo(run.workload.lastAckedBy(run.stoppedAt.minusSeconds(5)));
            assertThat(run.restored).isEqualTo(Workload.state(client, latest.recoveredRevision()));
            long mid = run.workload.acks.get(run.workload.acks.size() / 3).revision();
            assertThat(restore(store, Long.toString(mid)).recoveredRevision()).isEqualTo(mid);
            assertThat(lastRestored).isEqualTo(Workload.state(client, mid));
        }
    }

    /** After a compaction past the chain's end the watch cannot resume: the follower starts a new snapshot and chain. */
    @Test
    void aCompactionPastTheChainStartsANewSnapshotAndChain() throws Exception {
        BackupStore store = new DirectoryBackupStore(tmp.resolve("backups"), "pitr");
        follow(store, Duration.ofSeconds(2));
        long before = store.list().size();
        new Workload(client).run(Instant.now().plusMillis(500), 600);
        long now = client.getKVClient().get(Workload.bytes("key/")).get().getHeader().getRevision();
        client.getKVClient().compact(now).get();
        Thread.sleep(1100); // snapshot names are per second
        Followed again = follow(store, Duration.ofSeconds(2));
        assertThat(store.list()).as("a new full snapshot").hasSize((int) before + 1);
        assertThat(again.log).anyMatch(l -> l.startsWith("new full snapshot and chain: revision") && l.contains("compacted"));
        assertThat(again.restored).isEqualTo(Workload.state(client, again.latest.recoveredRevision()));
    }

    /**
     * A key bound to a 2 s lease its holder keeps alive, then seconds of writes: the replay after the lease's grant takes
     * longer than its TTL, and the lease must not expire inside the loopback etcd (its keys' deletion would be a revision
     * of etcd's own, and the replay would stop as diverged).
     */
    @Test
    void aShortLeaseKeptAliveByItsHolderOutlivesALongerReplay() throws Exception {
        BackupStore store = new DirectoryBackupStore(tmp.resolve("backups"), "pitr");
        long lease = client.getLeaseClient().grant(2).get().getID();
        try (var holder = client.getLeaseClient().keepAlive(lease, Observers.observer(r -> { }))) {
            Followed run = follow(store, Duration.ofSeconds(8), () -> client.getKVClient().put(Workload.bytes("key/short-lease"),
                    Workload.bytes("held"), PutOption.builder().withLeaseId(lease).build()).get());
            assertThat(run.latest.complete()).as(run.latest.message()).isTrue();
            assertThat(run.restored).containsKey("key/short-lease");
            assertThat(run.restored).isEqualTo(Workload.state(client, run.latest.recoveredRevision()));
        }
    }

    interface BeforeLoad {
        void run() throws Exception;
    }

    record Followed(Workload workload, Instant stoppedAt, TreeMap<String, String> restored, List<Long> agesMillis,
                    double writesPerSecond, List<String> log, ReplayResult latest) {
    }

    private TreeMap<String, String> lastRestored;

    /** Runs the follower (1 s flushes) and a writer for {@code load}, stops the follower at once, and restores latest. */
    Followed follow(BackupStore store, Duration load) throws Exception {
        return follow(store, load, () -> { });
    }

    /** As above, {@code first} written once the follower runs, before the load. */
    Followed follow(BackupStore store, Duration load, BeforeLoad first) throws Exception {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        ChangeFollower follower = new ChangeFollower(store, "pitr", admin, etcd.clientUrls(), null, Clock.systemUTC(),
                Duration.ofSeconds(1), log::add);
        Thread thread = FollowerThread.start(follower, log::add);
        while (follower.recoveryPoint().isEmpty()) {
            Thread.sleep(50);
        }
        first.run();
        Workload workload = new Workload(client);
        List<Long> ages = Collections.synchronizedList(new ArrayList<>());
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                ages.add(follower.recoveryPoint().orElseThrow().age(Instant.now()).toMillis());
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.start();
        Instant start = Instant.now();
        workload.run(start.plus(load), 600);
        double rate = workload.acks.size() / (Duration.between(start, Instant.now()).toMillis() / 1000.0);
        sampler.interrupt();
        Instant stoppedAt = Instant.now();
        follower.stop();
        thread.join();
        System.out.println("follower log: " + log);
        ReplayResult latest = restore(store, "latest");
        return new Followed(workload, stoppedAt, lastRestored, ages, rate, log, latest);
    }

    double throughput(Duration load) throws Exception {
        Workload w = new Workload(client);
        Instant start = Instant.now();
        w.run(start.plus(load), 600);
        return w.acks.size() / (Duration.between(start, Instant.now()).toMillis() / 1000.0);
    }

    /** Restores into a new data dir, opens it on loopback, and keeps its keys in {@link #lastRestored}. */
    private ReplayResult restore(BackupStore store, String target) throws Exception {
        Path dataDir = tmp.resolve("restore-" + RESTORES.incrementAndGet()).resolve("data");
        String etcdBinary = EtcdBinaries.tested().etcd();
        ReplayResult result = new PointInTimeRestorer(new SnapshotRestorer(new RestoreBinary(EtcdBinaries.tested().restoreProgram())),
                etcdBinary).restore(store, target, "m0", "http://127.0.0.1:2380", "pitr-test", dataDir);
        System.out.println(target + ": " + result.message());
        try (LoopbackEtcd restored = LoopbackEtcd.start(etcdBinary, dataDir, "m0", dataDir.resolveSibling("etcd.log"));
             Client c = Client.builder().endpoints(restored.clientUrl()).build()) {
            lastRestored = Workload.state(c, 0);
        }
        return result;
    }
}
