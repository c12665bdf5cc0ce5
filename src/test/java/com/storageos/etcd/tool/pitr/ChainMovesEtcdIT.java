package com.storageos.etcd.tool.pitr;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.tool.backup.BackupCommand;
import com.storageos.etcd.tool.backup.BackupName;
import com.storageos.etcd.tool.backup.BackupStore;
import com.storageos.etcd.tool.backup.ChunkName;
import com.storageos.etcd.tool.backup.DirectoryBackupStore;
import com.storageos.etcd.tool.backup.SnapshotSource;
import com.storageos.etcd.tool.backup.SnapshotTaker;
import com.storageos.etcd.toolcontract.RestoreTarget;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The agent's chain moves on: to the scheduled backup's newer snapshot (else {@code latest}, which takes the newest
 * snapshot, would lose what the old chain holds after it), and to a full snapshot of its own after an hour.
 */
class ChainMovesEtcdIT extends OneMemberEtcdFixture {
    Thread running;

    @AfterEach
    void joinFollower() throws InterruptedException {
        if (running != null) {
            running.join(10_000);
        }
    }

    @Test
    void aScheduledSnapshotGetsTheChainSoThatLatestLosesNothing() throws Exception {
        BackupStore store = new DirectoryBackupStore(tmp.resolve("backups"), "c");
        ChangeFollower follower = follow(store, Clock.systemUTC());
        new Workload(client).run(Instant.now().plusSeconds(2), 600);
        Thread.sleep(1100); // snapshot names are per second
        BackupName scheduled = BackupName.of("c", Instant.now());
        SnapshotTaker.Taken taken = new SnapshotTaker(admin).take(SnapshotSource.discover(admin, etcd.clientUrls()),
                BackupCommand.stagingFile(store.stagingDir(), scheduled), (source, streamed, size) -> { });
        store.publish(taken.snapshot(), scheduled);
        Workload after = new Workload(client);
        after.run(Instant.now().plusSeconds(1), 600);
        follower.rebase(scheduled, taken.revision());
        after.run(Instant.now().plusSeconds(2), 600);
        long last = after.lastAckedBy(Instant.now());
        waitFor(() -> follower.recoveryPoint().orElseThrow().revision() >= last);
        follower.stop();

        ReplayPlan latest = ReplayPlan.of(new RestoreTarget.Latest(), store.list(), store.chunks());
        assertThat(latest.snapshot()).isEqualTo(scheduled);
        assertThat(latest.chunks()).as("the newest snapshot's chain").isNotEmpty();
        assertThat(latest.chunks().get(0).first()).isEqualTo(taken.revision() + 1);
        assertThat(latest.chunks().get(latest.chunks().size() - 1).last()).as("every write, also those before the move")
                .isGreaterThanOrEqualTo(last);
        assertThat(follower.snapshot()).contains(scheduled);
    }

    @Test
    void aChainAnHourLongEndsInANewFullSnapshot() throws Exception {
        BackupStore store = new DirectoryBackupStore(tmp.resolve("backups"), "c");
        AtomicReference<Instant> now = new AtomicReference<>(Instant.now());
        Clock clock = new Clock() {
            @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
            @Override public Clock withZone(ZoneId zone) { return this; }
            @Override public Instant instant() { return now.get(); }
        };
        ChangeFollower follower = follow(store, clock);
        BackupName first = follower.snapshot().orElseThrow();
        new Workload(client).run(Instant.now().plusSeconds(1), 600);
        now.set(now.get().plus(ChangeFollower.NEW_CHAIN_EVERY).plusSeconds(1));
        waitFor(() -> store.list().size() == 2);
        Workload later = new Workload(client);
        later.run(Instant.now().plusSeconds(1), 600);
        long last = later.lastAckedBy(Instant.now());
        waitFor(() -> follower.recoveryPoint().orElseThrow().revision() >= last);
        follower.stop();

        BackupName second = store.list().stream().filter(b -> !b.equals(first)).findFirst().orElseThrow();
        assertThat(follower.snapshot()).contains(second);
        List<ChunkName> chain = ReplayPlan.chainOf(second, store.chunks());
        assertThat(chain).isNotEmpty();
        assertThat(chain.get(chain.size() - 1).last()).isGreaterThanOrEqualTo(last);
        assertThat(ReplayPlan.chainOf(first, store.chunks())).as("the old chain stays, with its snapshot").isNotEmpty();
    }

    private ChangeFollower follow(BackupStore store, Clock clock) throws Exception {
        ChangeFollower follower = new ChangeFollower(store, "c", admin, etcd.clientUrls(), null, clock, Duration.ofSeconds(1),
                line -> System.out.println("follower: " + line));
        running = FollowerThread.start(follower, System.out::println);
        waitFor(() -> follower.snapshot().isPresent());
        return follower;
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static void waitFor(Check check) throws Exception {
        Instant deadline = Instant.now().plusSeconds(30);
        while (!check.holds()) {
            assertThat(Instant.now()).as("waited 30 s").isBefore(deadline);
            Thread.sleep(100);
        }
    }
}
