package com.storageos.etcd.tool.pitr;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.etcdclient.EtcdAdmin;
import com.storageos.etcd.etcdclient.JetcdEtcdAdminFactory;
import com.storageos.etcd.testing.EtcdTestCluster;
import com.storageos.etcd.tool.backup.BackupName;
import com.storageos.etcd.tool.backup.BackupStore;
import com.storageos.etcd.tool.backup.Chunk;
import com.storageos.etcd.tool.backup.ChunkName;
import com.storageos.etcd.tool.backup.DirectoryBackupStore;
import io.etcd.jetcd.Client;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Comparator;
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
        Thread thread = FollowerThread.start(follower, log::add);
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
        Thread thread = FollowerThread.start(follower, log::add);
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

    /**
     * The agent restarts after the cluster was restored (a new incarnation, with a new cluster ID, which status.clusterId
     * now records): the newest snapshot's chain was written under the old ID, so its revisions must not go on with the new
     * cluster's. A restart under the same cluster resumes the chain.
     */
    @Test
    void aRestartedAgentResumesItsChainOnlyUnderTheClusterItWasWrittenUnder() throws Exception {
        BackupStore store = new DirectoryBackupStore(tmp.resolve("backups"), "c");
        long old = admin.clusterId();
        runFor(follower(store, admin, etcd.clientUrls()), old, () -> new Workload(client).run(Instant.now().plusSeconds(2), 600));
        assertThat(store.list()).hasSize(1);
        assertThat(store.chunks()).isNotEmpty();

        runFor(follower(store, admin, etcd.clientUrls()), old, () -> { });
        assertThat(log).anyMatch(l -> l.startsWith("resuming the chain of "));
        assertThat(store.list()).as("the same cluster: its chain goes on").hasSize(1);

        long now;
        try (EtcdTestCluster restored = EtcdTestCluster.start(1);
             Client restoredClient = Client.builder().endpoints(restored.clientUrls().toArray(String[]::new)).build();
             EtcdAdmin restoredAdmin = new JetcdEtcdAdminFactory(Duration.ofSeconds(5)).connect(restored.clientUrls())) {
            now = restoredAdmin.clusterId();
            assertThat(now).isNotEqualTo(old);
            ChangeFollower follower = follower(store, restoredAdmin, restored.clientUrls());
            runFor(follower, now, () -> new Workload(restoredClient).run(Instant.now().plusSeconds(2), 600));
            assertThat(log).anyMatch(l -> l.contains("was written under cluster " + Long.toHexString(old)
                    + ", and etcd answers as cluster " + Long.toHexString(now)));
            assertThat(store.list()).as("a new full snapshot of the restored cluster").hasSize(2);
        }
        BackupName first = store.list().stream().min(Comparator.naturalOrder()).orElseThrow();
        assertThat(store.chunks()).as("each chain holds the changes of the cluster it was written under").allSatisfy(chunk ->
                assertThat(Chunk.decode(chunk, store.readChunk(chunk)).clusterId()).isEqualTo(chunk.snapshot().equals(first) ? old : now));
        assertThat(store.chunks()).anyMatch(chunk -> !chunk.snapshot().equals(first));
    }

    /** Runs a follower expecting {@code clusterId}; once it has its chain, {@code work}; then a little longer, then stops it. */
    private void runFor(ChangeFollower follower, long clusterId, Work work) throws Exception {
        follower.expectCluster(clusterId);
        Thread thread = FollowerThread.start(follower, log::add);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (follower.recoveryPoint().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        work.run();
        Thread.sleep(2500);
        follower.stop();
        thread.join();
    }

    private interface Work {
        void run() throws Exception;
    }

    private ChangeFollower follower(BackupStore store) {
        return follower(store, admin, etcd.clientUrls());
    }

    private ChangeFollower follower(BackupStore store, EtcdAdmin via, List<String> endpoints) {
        return new ChangeFollower(store, "c", via, endpoints, null, Clock.systemUTC(), Duration.ofSeconds(1), log::add);
    }
}
