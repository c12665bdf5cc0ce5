package com.storageos.etcd.tool.pitr;

import com.storageos.etcd.etcdclient.EtcdAdminException;
import com.storageos.etcd.etcdclient.KeyEvent;
import com.storageos.etcd.tool.backup.BackupName;
import com.storageos.etcd.tool.backup.BackupStore;
import com.storageos.etcd.tool.backup.Change;
import com.storageos.etcd.tool.backup.Chunk;
import com.storageos.etcd.tool.backup.ChunkName;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongUnaryOperator;

/**
 * One snapshot's chain as it grows: changes wait in memory until {@link #flush()} writes them as the next chunk, which
 * starts right after the last one stored. A failed write keeps them for the next flush.
 */
final class ChainWriter {
    private final BackupStore store;
    private final BackupName snapshot;
    private final long clusterId;
    private final ChainCursor cursor;
    private final Consumer<RecoveryPoint> stored;
    private final Consumer<IOException> failed;
    private final List<Change> pending = new ArrayList<>();
    /** Granted TTLs of the leases this chain's keys named, -1 for one already gone; asked once per lease. */
    private final Map<Long, Long> leaseTtls = new HashMap<>();
    private long firstPending;

    /** @param clusterId the etcd cluster whose changes this chain holds, recorded in each chunk */
    ChainWriter(BackupStore store, BackupName snapshot, long clusterId, long next, Consumer<RecoveryPoint> stored,
                Consumer<IOException> failed) {
        this.store = store;
        this.snapshot = snapshot;
        this.clusterId = clusterId;
        this.cursor = new ChainCursor(next);
        this.firstPending = next;
        this.stored = stored;
        this.failed = failed;
    }

    BackupName snapshot() {
        return snapshot;
    }

    long clusterId() {
        return clusterId;
    }

    ChainCursor cursor() {
        return cursor;
    }

    /** @param grantedTtl asks etcd for a lease's granted TTL, -1 when it is gone */
    void add(List<KeyEvent> events, Instant seen, LongUnaryOperator grantedTtl) {
        for (KeyEvent e : events) {
            if (e.lease() != 0 && !leaseTtls.containsKey(e.lease())) {
                leaseTtls.put(e.lease(), ttlOrUnknown(grantedTtl, e.lease()));
            }
            pending.add(new Change(e, seen));
        }
    }

    /** True when everything up to {@code revision} is stored: a progress report then moves the recovery point on. */
    boolean caughtUp(long revision) {
        return pending.isEmpty() && revision == cursor.next() - 1;
    }

    /** Writes the pending changes as one chunk; false when there were none. */
    boolean flush() {
        if (pending.isEmpty()) {
            return false;
        }
        Change newest = pending.get(pending.size() - 1);
        Map<Long, Long> leases = new HashMap<>();
        pending.stream().mapToLong(c -> c.event().lease()).filter(l -> l != 0).forEach(l -> leases.put(l, leaseTtls.get(l)));
        ChunkName name = new ChunkName(snapshot, firstPending, newest.revision());
        try {
            store.putChunk(name, new Chunk(clusterId, name.first(), name.last(), pending, leases).encode());
            pending.clear();
            firstPending = name.last() + 1;
            stored.accept(new RecoveryPoint(name.last(), newest.seen()));
        } catch (IOException e) {
            failed.accept(e);
        }
        return true;
    }

    private static long ttlOrUnknown(LongUnaryOperator grantedTtl, long lease) {
        try {
            return grantedTtl.applyAsLong(lease);
        } catch (EtcdAdminException e) {
            return -1;
        }
    }
}
