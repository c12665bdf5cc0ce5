package com.storageos.etcd.tool.pitr;

import com.storageos.etcd.tool.backup.BackupName;
import com.storageos.etcd.tool.backup.BackupStore;
import com.storageos.etcd.tool.backup.Chunk;
import com.storageos.etcd.tool.backup.ChunkName;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where a restarted agent picks its chain up: after the last chunk of the newest snapshot's chain, but only when that
 * chunk was written under the cluster etcd answers as now. A cluster restored or recovered while the agent was away is
 * a new incarnation, whose revisions must not continue the old chain (a replay would mix the two); a last chunk that
 * does not say its cluster (written before chunks recorded it) or does not read gets a new chain too, for the price of
 * one full snapshot.
 *
 * @param next the first revision the chain still needs
 */
record ResumableChain(BackupName snapshot, long next) {
    static Optional<ResumableChain> find(BackupStore store, long answering, Consumer<String> log) throws IOException {
        Optional<BackupName> newest = store.list().stream().max(Comparator.naturalOrder());
        List<ChunkName> chain = newest.isEmpty() ? List.of() : ReplayPlan.chainOf(newest.get(), store.chunks());
        if (chain.isEmpty()) {
            log.accept("new full snapshot and chain: no chain to resume");
            return Optional.empty();
        }
        ChunkName last = chain.get(chain.size() - 1);
        long written = writtenUnder(store, last);
        if (written != answering) {
            log.accept("new full snapshot and chain: the chain of " + newest.get().name() + (written == 0
                    ? " does not say which cluster it was written under" : " was written under cluster " + Long.toHexString(written))
                    + ", and etcd answers as cluster " + Long.toHexString(answering));
            return Optional.empty();
        }
        log.accept("resuming the chain of " + newest.get().name() + " after revision " + last.last());
        return Optional.of(new ResumableChain(newest.get(), last.last() + 1));
    }

    /** The cluster a chunk's changes were watched on; 0 when it does not say or does not read. */
    private static long writtenUnder(BackupStore store, ChunkName chunk) throws IOException {
        try {
            return Chunk.decode(chunk, store.readChunk(chunk)).clusterId();
        } catch (Chunk.CorruptChunkException e) {
            return 0;
        }
    }
}
