package com.storageos.etcd.tool.pitr;

import com.storageos.etcd.etcdclient.ChangeFeed;
import com.storageos.etcd.etcdclient.ClientTls;
import com.storageos.etcd.etcdclient.EtcdAdmin;
import com.storageos.etcd.tool.backup.BackupCommand;
import com.storageos.etcd.tool.backup.BackupName;
import com.storageos.etcd.tool.backup.BackupStore;
import com.storageos.etcd.tool.backup.SnapshotSource;
import com.storageos.etcd.tool.backup.SnapshotTaker;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The backup agent: follows etcd's watch from the newest full snapshot on and writes every change to the store as a
 * chain of chunks, one at least every {@code flushEvery} while changes come. It resumes the newest snapshot's chain
 * where it ends; with none to resume, after a compaction (the watch canceled with a compact revision) or a hole in the
 * revisions, it takes a new full snapshot and starts a new chain, never skipping revisions. A chain older than
 * {@link #NEW_CHAIN_EVERY} is ended the same way, so that a restore never replays more than an hour of changes. A newer
 * snapshot of the scheduled backup ({@link #rebase}) gets a chain of its own, from its revision on: a restore to
 * {@code latest} takes the newest snapshot, which must not be one without the changes that followed it. Runs until
 * {@link #stop()}.
 */
public final class ChangeFollower {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
    private static final int SILENT_FLUSHES = 10;
    /** Bounds a restore's replay: at most an hour of changes, for the price of one more full snapshot an hour. */
    static final Duration NEW_CHAIN_EVERY = Duration.ofHours(1);

    private final BackupStore store;
    private final String cluster;
    private final EtcdAdmin admin;
    private final FollowedMembers members;
    private final ClientTls tls;
    private final Clock clock;
    private final Duration flushEvery;
    private final Consumer<String> log;
    private final AtomicLong failedWrites = new AtomicLong();
    private volatile RecoveryPoint recoveryPoint;
    private volatile BackupName snapshot;
    /** A newer snapshot (with its revision) that the chain should move to. */
    private volatile Rebase rebase;
    private volatile boolean stopping;
    private final RecordedCluster recorded = new RecordedCluster();

    /** @param endpoints where to reach etcd first (the client Service); the members are then listed at run time */
    public ChangeFollower(BackupStore store, String cluster, EtcdAdmin admin, List<String> endpoints, ClientTls tls,
                          Clock clock, Duration flushEvery, Consumer<String> log) {
        this.store = store;
        this.cluster = cluster;
        this.admin = admin;
        this.members = new FollowedMembers(admin, endpoints, log);
        this.tls = tls;
        this.clock = clock;
        this.flushEvery = flushEvery;
        this.log = log;
    }

    /** Empty until the first chain has a snapshot. */
    public Optional<RecoveryPoint> recoveryPoint() {
        return Optional.ofNullable(recoveryPoint);
    }

    /** The snapshot the chain being written hangs off; empty until the first chain has one. */
    public Optional<BackupName> snapshot() {
        return Optional.ofNullable(snapshot);
    }

    /**
     * A newer full snapshot, taken by the scheduled backup at {@code revision}: the chain moves to it, following etcd
     * again from the revision after (a new full snapshot instead, if etcd compacted it). Older ones are ignored.
     */
    public void rebase(BackupName newer, long revision) {
        BackupName current = snapshot;
        if (current != null && newer.compareTo(current) > 0) {
            rebase = new Rebase(newer, revision);
        }
    }

    private record Rebase(BackupName snapshot, long revision) { }

    /** status.clusterId, as the agent reads it: see {@link RecordedCluster}. */
    public void expectCluster(long clusterId) {
        recorded.expect(clusterId);
    }

    /** Chunk writes that failed (each is retried with the next flush). */
    public long failedWrites() {
        return failedWrites.get();
    }

    public void stop() {
        stopping = true;
    }

    public void run() throws IOException, InterruptedException {
        ChainWriter chain = resumeOrStart();
        for (int attempt = 0; !stopping && chain != null; attempt++) {
            String url = members.forAttempt(attempt);
            try (ChangeFeed feed = ChangeFeed.open(url, tls, chain.cursor().next())) {
                Optional<String> newChain = follow(feed, chain);
                chain.flush(); // what came before the feed ended or held is the recorded cluster's: stored before any wait
                members.refreshThrough(url); // a quiet cluster answers no progress request: reconnects are where it is listed
                Rebase newer = rebase;
                rebase = null;
                if (newer != null && store.list().contains(newer.snapshot()) && recorded.foreign(feed.clusterId()).isEmpty()) {
                    log.accept("the chain moves to the newer full snapshot " + newer.snapshot().name() + " at revision " + newer.revision());
                    chain = writer(newer.snapshot(), feed.clusterId(), newer.revision() + 1);
                    // What latest restores until the new chain catches up, within seconds: etcd still has those revisions.
                    recoveryPoint = new RecoveryPoint(newer.revision(), newer.snapshot().time());
                    attempt = -1;
                } else if (newChain.isPresent()) {
                    log.accept("new full snapshot and chain: " + newChain.get());
                    chain = startChain();
                    attempt = -1;
                }
            }
        }
        if (chain != null) {
            chain.flush();
        }
    }

    /** Follows one feed until it ends (empty: reconnect) or the chain cannot go on (the reason). */
    private Optional<String> follow(ChangeFeed feed, ChainWriter chain) throws InterruptedException {
        long lastFlush = System.nanoTime();
        long lastHeard = lastFlush;
        while (!stopping && rebase == null) {
            if (clock.instant().isAfter(chain.snapshot().time().plus(NEW_CHAIN_EVERY))) {
                return Optional.of("the chain of " + chain.snapshot().name() + " is " + NEW_CHAIN_EVERY.toMinutes()
                        + " minutes long; a new one bounds the replay");
            }
            long waitNanos = Math.max(0, flushEvery.toNanos() - (System.nanoTime() - lastFlush));
            Optional<ChangeFeed.Signal> signal = feed.poll(Duration.ofNanos(waitNanos));
            Optional<String> hold = signal.isPresent() ? recorded.foreign(feed.clusterId()) : Optional.empty();
            if (hold.isPresent()) {
                log.accept(feed.url() + ": " + hold.get());
                sleep();
                return Optional.empty();
            }
            if (signal.isPresent() && feed.clusterId() != chain.clusterId()) {
                return Optional.of("the cluster is a new incarnation (cluster ID " + Long.toHexString(feed.clusterId()) + ", the chain's "
                        + Long.toHexString(chain.clusterId()) + "): restored or recovered");
            }
            if (signal.isPresent()) {
                lastHeard = System.nanoTime();
                members.refreshThrough(feed.url());
            } else if (System.nanoTime() - lastHeard > flushEvery.multipliedBy(SILENT_FLUSHES).toNanos()) {
                // Idle flushes ask for progress; a member that answers neither changes nor those is cut off.
                log.accept(feed.url() + " answered nothing for " + SILENT_FLUSHES + " flushes; following from another member");
                return Optional.empty();
            }
            if (signal.isPresent() && signal.get() instanceof ChangeFeed.Changes changes) {
                try {
                    chain.add(chain.cursor().accept(changes.events()), clock.instant(), lease -> feed.grantedTtl(lease, CALL_TIMEOUT));
                } catch (ChainCursor.Gap gap) {
                    return Optional.of(gap.getMessage());
                }
            } else if (signal.isPresent() && signal.get() instanceof ChangeFeed.Compacted c) {
                return Optional.of("revision " + chain.cursor().next() + " is compacted (etcd keeps " + c.compactRevision() + " on)");
            } else if (signal.isPresent() && signal.get() instanceof ChangeFeed.Ended ended) {
                log.accept(ended.why() + "; following again from revision " + chain.cursor().next());
                sleep();
                return Optional.empty();
            } else if (signal.isPresent() && signal.get() instanceof ChangeFeed.Progress p && chain.caughtUp(p.revision())) {
                recoveryPoint = new RecoveryPoint(p.revision(), clock.instant());
            }
            if (System.nanoTime() - lastFlush >= flushEvery.toNanos()) {
                if (!chain.flush()) {
                    feed.requestProgress();
                }
                lastFlush = System.nanoTime();
            }
        }
        return Optional.empty();
    }

    /** The newest snapshot's chain, when it may go on (the agent restarted: {@link ResumableChain}), else a new snapshot; null if stopped first. */
    private ChainWriter resumeOrStart() throws IOException, InterruptedException {
        long answering = awaitRecordedCluster();
        if (answering == 0) {
            return null;
        }
        Optional<ResumableChain> resumable = ResumableChain.find(store, answering, log);
        return resumable.isPresent() ? writer(resumable.get().snapshot(), answering, resumable.get().next()) : startChain();
    }

    private long awaitRecordedCluster() throws InterruptedException {
        return recorded.await(admin, () -> stopping, log, this::sleep);
    }

    /** A new full snapshot of the recorded cluster and its chain; null when stopped before etcd answered as that cluster. */
    private ChainWriter startChain() throws IOException, InterruptedException {
        long clusterId = awaitRecordedCluster();
        if (clusterId == 0) {
            return null;
        }
        BackupName name = BackupName.of(cluster, clock.instant());
        while (store.list().contains(name)) {
            Thread.sleep(200); // names are per second: never publish over the snapshot of the chain just ended
            name = BackupName.of(cluster, clock.instant());
        }
        SnapshotTaker.Taken taken = new SnapshotTaker(admin).take(SnapshotSource.discover(admin, members.all()),
                BackupCommand.stagingFile(store.stagingDir(), name), (source, streamed, dbSize) -> { }); // the agent has no status entry yet
        store.publish(taken.snapshot(), name);
        log.accept("full snapshot " + name.name() + " at revision " + taken.revision());
        recoveryPoint = new RecoveryPoint(taken.revision(), name.time());
        return writer(name, clusterId, taken.revision() + 1);
    }

    private ChainWriter writer(BackupName snapshot, long clusterId, long next) {
        this.snapshot = snapshot;
        return new ChainWriter(store, snapshot, clusterId, next, point -> recoveryPoint = point, e -> {
            failedWrites.incrementAndGet();
            log.accept("chunk write failed, retrying with the next flush: " + e.getMessage());
        });
    }

    private void sleep() throws InterruptedException {
        Thread.sleep(Math.min(1000, flushEvery.toMillis()));
    }
}
