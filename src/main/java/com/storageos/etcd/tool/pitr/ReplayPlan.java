package com.storageos.etcd.tool.pitr;

import com.storageos.etcd.tool.backup.BackupName;
import com.storageos.etcd.tool.backup.ChunkName;
import com.storageos.etcd.toolcontract.RestoreTarget;
import java.io.IOException;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which full snapshot to restore and which of its chunks to replay, up to which revision or time. A chain's first chunk
 * starts right after its snapshot's revision (the follower starts it there), so {@code first - 1} places a snapshot
 * on the revision line without reading it; snapshots without a chain serve only {@code latest} and by name.
 *
 * @param upToRevision the last revision to apply; {@link Long#MAX_VALUE} for all
 * @param upToTime     apply only changes seen by then, when set
 */
public record ReplayPlan(BackupName snapshot, List<ChunkName> chunks, long upToRevision, Optional<Instant> upToTime) {

    public ReplayPlan {
        chunks = chunks.stream().sorted().toList();
    }

    public static ReplayPlan of(RestoreTarget target, List<BackupName> snapshots, List<ChunkName> chunks) throws IOException {
        if (target instanceof RestoreTarget.Backup b) {
            BackupName named = snapshots.stream().filter(s -> s.name().equals(b.name())).findFirst()
                    .orElseThrow(() -> new IOException("backup " + b.name() + " not found among " + snapshots.size() + " backups"));
            return new ReplayPlan(named, List.of(), Long.MAX_VALUE, Optional.empty());
        }
        if (target instanceof RestoreTarget.AtRevision r) {
            BackupName base = snapshots.stream()
                    .filter(s -> chainOf(s, chunks).stream().findFirst().map(c -> c.first() - 1 <= r.revision()).orElse(false))
                    .max(Comparator.naturalOrder())
                    .orElseThrow(() -> new IOException("no backup's chain reaches back to revision " + r.revision()));
            return new ReplayPlan(base, chainOf(base, chunks).stream().filter(c -> c.first() <= r.revision()).toList(),
                    r.revision(), Optional.empty());
        }
        if (target instanceof RestoreTarget.AtTime t) {
            BackupName base = snapshots.stream().filter(s -> !s.time().isAfter(t.time())).max(Comparator.naturalOrder())
                    .orElseThrow(() -> new IOException("no backup was taken at or before " + t.time()));
            return new ReplayPlan(base, chainOf(base, chunks), Long.MAX_VALUE, Optional.of(t.time()));
        }
        BackupName newest = snapshots.stream().max(Comparator.naturalOrder())
                .orElseThrow(() -> new IOException("no backup found to restore"));
        return new ReplayPlan(newest, chainOf(newest, chunks), Long.MAX_VALUE, Optional.empty());
    }

    /** This snapshot's chunks in revision order. */
    public static List<ChunkName> chainOf(BackupName snapshot, List<ChunkName> chunks) {
        return chunks.stream().filter(c -> c.snapshot().equals(snapshot)).sorted().toList();
    }

    /** True when the snapshot is the whole restore: no chunk after it, and no revision or time inside a chain to reach. */
    public boolean snapshotAlone() {
        return chunks.isEmpty() && upToRevision == Long.MAX_VALUE && upToTime.isEmpty();
    }

    /** True when a change belongs to the point restored to. */
    boolean wants(long revision, Instant seen) {
        return revision <= upToRevision && upToTime.map(t -> !seen.isAfter(t)).orElse(true);
    }
}
