package com.storageos.etcd.tool.pitr;

import com.storageos.etcd.etcdclient.KeyEvent;
import com.storageos.etcd.etcdclient.RevisionWriter;
import com.storageos.etcd.tool.backup.BackupStore;
import com.storageos.etcd.tool.backup.Change;
import com.storageos.etcd.tool.backup.Chunk;
import com.storageos.etcd.tool.backup.ChunkName;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Applies a plan's chunks to a restored member, one transaction per revision, each checked to land on its recorded
 * revision. A chunk that cannot be read or fails its checksum, or a hole between chunks, ends the replay at the last
 * revision applied whole.
 * Leases as {@link ReplayLeases} says.
 */
final class ChainReplayer {
    private final BackupStore store;
    private final RevisionWriter writer;

    ChainReplayer(BackupStore store, RevisionWriter writer) {
        this.store = store;
        this.writer = writer;
    }

    ReplayResult replay(ReplayPlan plan) throws IOException {
        try (ReplayLeases leases = new ReplayLeases(writer)) {
            return replay(plan, leases);
        }
    }

    private ReplayResult replay(ReplayPlan plan, ReplayLeases leases) throws IOException {
        long snapshotRevision = writer.revision();
        long applied = snapshotRevision;
        long chainEnd = plan.chunks().isEmpty() ? snapshotRevision : plan.chunks().get(plan.chunks().size() - 1).last();
        long wanted = plan.upToRevision() == Long.MAX_VALUE ? chainEnd : plan.upToRevision();
        if (snapshotRevision > plan.upToRevision()) {
            throw new IOException(plan.snapshot().name() + " holds revision " + snapshotRevision + ", past the target " + plan.upToRevision());
        }
        for (ChunkName name : plan.chunks()) {
            if (name.last() <= applied) {
                continue;
            }
            if (name.first() > applied + 1) {
                return stopped(plan, snapshotRevision, applied, wanted, "revisions " + (applied + 1) + ".." + (name.first() - 1)
                        + " are missing from the chain");
            }
            Chunk chunk;
            try {
                chunk = Chunk.decode(name, store.readChunk(name));
            } catch (IOException e) {
                return stopped(plan, snapshotRevision, applied, wanted, e.getMessage());
            }
            for (List<Change> revision : byRevision(chunk.changes())) {
                long number = revision.get(0).revision();
                if (number <= applied) {
                    continue;
                }
                if (!plan.wants(number, revision.get(0).seen())) {
                    return new ReplayResult(plan.snapshot(), snapshotRevision, applied, plan.upToTime().isPresent() ? applied : wanted,
                            Optional.empty());
                }
                applied = apply(revision, chunk, number, leases);
            }
        }
        return new ReplayResult(plan.snapshot(), snapshotRevision, applied, wanted, Optional.empty());
    }

    private long apply(List<Change> revision, Chunk chunk, long number, ReplayLeases leases) throws IOException {
        List<KeyEvent> events = revision.stream().map(Change::event).toList();
        leases.grantFor(events, chunk);
        long got = writer.apply(events);
        if (got != number) {
            throw new IOException("the replay diverged: revision " + number + " was applied as revision " + got);
        }
        return number;
    }

    private static ReplayResult stopped(ReplayPlan plan, long snapshotRevision, long applied, long wanted, String why) {
        return new ReplayResult(plan.snapshot(), snapshotRevision, applied, wanted, Optional.of(why));
    }

    /** The changes grouped by revision, in order (a chunk holds them sorted). */
    static List<List<Change>> byRevision(List<Change> changes) {
        List<List<Change>> groups = new ArrayList<>();
        for (Change c : changes) {
            if (groups.isEmpty() || groups.get(groups.size() - 1).get(0).revision() != c.revision()) {
                groups.add(new ArrayList<>());
            }
            groups.get(groups.size() - 1).add(c);
        }
        return groups;
    }
}
