package com.storageos.etcd.tool.pitr;

import com.storageos.etcd.tool.backup.BackupName;
import java.util.Optional;

/**
 * What a point-in-time restore brought back: the snapshot and its revision, the revision replayed to, and, when the
 * replay stopped short of the target, why and which revisions were not recovered.
 *
 * @param wantedRevision the revision the restore aimed at: the target revision, or the end of the chain
 * @param stopped        why the replay ended before {@code wantedRevision} (a chunk failing its checksum, a missing one)
 */
public record ReplayResult(BackupName snapshot, long snapshotRevision, long recoveredRevision, long wantedRevision,
                           Optional<String> stopped) {

    public boolean complete() {
        return stopped.isEmpty() && recoveredRevision >= wantedRevision;
    }

    public String message() {
        String done = "restored " + snapshot.name() + " (revision " + snapshotRevision + ") and replayed its chain to revision "
                + recoveredRevision;
        if (complete()) {
            return done;
        }
        return done + "; revisions " + (recoveredRevision + 1) + ".." + wantedRevision + " were not recovered: "
                + stopped.orElse("the chain ends at revision " + recoveredRevision);
    }
}
