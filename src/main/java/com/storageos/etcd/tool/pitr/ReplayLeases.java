package com.storageos.etcd.tool.pitr;

import com.storageos.etcd.etcdclient.KeyEvent;
import com.storageos.etcd.etcdclient.RevisionWriter;
import com.storageos.etcd.tool.backup.Chunk;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The leases of a replay. A key comes back bound to its lease's ID. A lease the snapshot holds already exists (etcd
 * restarts its TTL in full when the restored member starts). Any other is granted anew with that ID and the TTL it was
 * granted with; when the follower found the lease already gone it is granted {@link #UNKNOWN_TTL_SECONDS}.
 * <p>
 * While the replay runs, every one of them is kept alive: a lease that expired inside the loopback etcd would delete
 * its keys in a revision of etcd's own, and every recorded revision after it would land one later (the replay would
 * stop as diverged). A lease the source revoked or let expire shows in the chain as the deletion of its keys, which the
 * replay applies at its revision. Once the restored member starts for real, each TTL counts from then, so a key whose
 * holder is alive is kept by its keep-alives, and one whose holder is gone expires within one TTL of the restore.
 */
final class ReplayLeases implements AutoCloseable {
    static final long UNKNOWN_TTL_SECONDS = 60;
    /** Well inside etcd's smallest TTL (1.5 election timeouts, so 1.5 s with the defaults). */
    static final Duration KEEP_ALIVE_EVERY = Duration.ofMillis(300);

    private final RevisionWriter writer;
    private final Set<Long> held = new ConcurrentSkipListSet<>();
    private final ScheduledExecutorService keeper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "replay-lease-keep-alive");
        t.setDaemon(true);
        return t;
    });

    /** Starts keeping alive the leases the restored snapshot's keys are bound to. */
    ReplayLeases(RevisionWriter writer) {
        this.writer = writer;
        held.addAll(writer.leasesOfKeys());
        keeper.scheduleWithFixedDelay(this::renew, 0, KEEP_ALIVE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Grants, once each, the leases a revision's puts name that the member does not hold. */
    void grantFor(List<KeyEvent> revision, Chunk chunk) {
        for (KeyEvent e : revision) {
            if (e.lease() != 0 && !held.contains(e.lease())) {
                if (!writer.leaseExists(e.lease())) {
                    long ttl = chunk.leaseTtls().getOrDefault(e.lease(), -1L);
                    writer.grantLease(e.lease(), ttl > 0 ? ttl : UNKNOWN_TTL_SECONDS);
                }
                held.add(e.lease());
            }
        }
    }

    private void renew() {
        try {
            writer.keepAlive(List.copyOf(held));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // The next round tries again; a lease that expired meanwhile shows as a revision the replay finds diverged.
            System.err.println("replay: keeping the leases alive failed: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        keeper.shutdownNow();
    }
}
