package com.storageos.etcd.tool.pitr;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.tool.backup.BackupStore;
import com.storageos.etcd.tool.backup.ChunkName;
import com.storageos.etcd.tool.backup.DirectoryBackupStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The backup agent writes nothing while etcd answers as another cluster than the one the EtcdCluster records: after
 * every volume is wiped and a member starts anew, a snapshot of that empty cluster would become what {@code latest}
 * restores, and its changes would continue the old chain.
 */
class ForeignClusterEtcdIT extends OneMemberEtcdFixture {
    final List<String> log = new CopyOnWriteArrayList<>();

    @Test
    void noSnapshotIsTakenOfAClusterTheEtcdClusterDoesNotRecord() throws Exception {
        BackupStore store = new DirectoryBackupStore(tmp.resolve("backups"), "c");
        ChangeFollower follower = follower(store);
        follower.expectCluster(admin.clusterId() ^ 1);
        Thread thread = run(follower);
        Thread.sleep(3000);
        assertThat(store.list()).as("no snapshot of a cluster the EtcdCluster does not record").isEmpty();
        assertThat(follower.recoveryPoint()).isEmpty();
        assertThat(log).anyMatch(l -> l.contains("nothing is written until they agree"));

        follower.expectCluster(admin.clusterId());
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (store.list().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        follower.stop();
        thread.join();
        assertThat(store.list()).as("once they agree, the snapshot is taken").hasSize(1);
    }

    @Test
    void aChainStopsGrowingWhileEtcdAnswersAsAnotherCluster() throws Exception {
        BackupStore store = new DirectoryBackupStore(tmp.resolve("backups"), "c");
        ChangeFollower follower = follower(store);
        follower.expectCluster(admin.clusterId());
        Thread thread = run(follower);
        new Workload(client).run(Instant.now().plusSeconds(2), 600);
        Thread.sleep(1500);
        assertThat(follower.recoveryPoint()).isPresent();

        follower.expectCluster(admin.clusterId() ^ 1);
        Thread.sleep(1500); // the next signal is held; what was accepted before is flushed
        long held = follower.recoveryPoint().orElseThrow().revision();
        Workload after = new Workload(client);
        after.run(Instant.now().plusSeconds(3), 600);
        Thread.sleep(1500);
        follower.stop();
        thread.join();
        long stored = store.chunks().stream().mapToLong(ChunkName::last).max().orElse(0);
        assertThat(after.acks).isNotEmpty();
        assertThat(follower.recoveryPoint().orElseThrow().revision()).as("the recovery point holds").isEqualTo(held);
        assertThat(stored).as("no chunk holds a change made while etcd answered as another cluster")
                .isLessThan(Collections.min(after.acks.stream().map(Workload.Ack::revision).toList()));
    }

    private ChangeFollower follower(BackupStore store) {
        return new ChangeFollower(store, "c", admin, etcd.clientUrls(), null, Clock.systemUTC(), Duration.ofSeconds(1), log::add);
    }

    private Thread run(ChangeFollower follower) {
        Thread thread = new Thread(() -> {
            try {
                follower.run();
            } catch (Exception e) {
                log.add("follower failed: " + e);
            }
        });
        thread.start();
        return thread;
    }
}
