package com.storageos.etcd.tool.pitr;

import com.storageos.etcd.etcdclient.RevisionWriter;
import com.storageos.etcd.tool.backup.BackupStore;
import com.storageos.etcd.tool.backup.VerifiedSnapshot;
import com.storageos.etcd.tool.restore.SnapshotRestorer;
import com.storageos.etcd.toolcontract.RestoreTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * A restore to a point: the full snapshot before it, laid out by etcd's own restore as {@link SnapshotRestorer} does,
 * then its chain replayed into that data dir by etcd itself on loopback ({@link LoopbackEtcd}), before the data dir
 * appears under its real name. Replaying through etcd rather than writing its backend directly keeps etcd the only
 * writer of its files: its own MVCC assigns the revisions, which the replay checks against the recorded ones.
 */
public final class PointInTimeRestorer {
    private final SnapshotRestorer layout;
    private final String etcd;

    /** @param etcd the etcd binary of the cluster's release, to open the restored data dir */
    public PointInTimeRestorer(SnapshotRestorer layout, String etcd) {
        this.layout = layout;
        this.etcd = etcd;
    }

    /**
     * Restores into {@code dataDir}, which must not exist yet; it appears only once the replay is over.
     *
     * @param target as {@link RestoreTarget#parse} reads it
     */
    public ReplayResult restore(BackupStore store, String target, String memberName, String peerUrl, String token, Path dataDir)
            throws IOException, InterruptedException {
        return restore(store, ReplayPlan.of(RestoreTarget.parse(target), store.list(), store.chunks()), memberName, peerUrl, token, dataDir);
    }

    /** Restores a plan made already (the bootstrap makes it before it touches the volume). */
    public ReplayResult restore(BackupStore store, ReplayPlan plan, String memberName, String peerUrl, String token, Path dataDir)
            throws IOException, InterruptedException {
        if (Files.exists(dataDir)) {
            throw new IOException(dataDir + " already exists; a restore only seeds an empty member");
        }
        Path work = Files.createDirectories(dataDir.toAbsolutePath().getParent());
        Path snapshot = work.resolve(".restore-" + memberName + ".db");
        Path staging = work.resolve(".restore-" + memberName + ".data");
        SnapshotRestorer.deleteTree(staging);
        try {
            store.fetch(plan.snapshot(), snapshot);
            VerifiedSnapshot.verify(snapshot);
            layout.layOut(snapshot, memberName, peerUrl, token, staging);
            ReplayResult result;
            try (LoopbackEtcd member = LoopbackEtcd.start(etcd, staging, memberName, work.resolve(".restore-" + memberName + ".log"));
                 RevisionWriter writer = new RevisionWriter(member.clientUrl(), null, Duration.ofSeconds(30))) {
                result = new ChainReplayer(store, writer).replay(plan);
            }
            Files.move(staging, dataDir, StandardCopyOption.ATOMIC_MOVE);
            return result;
        } finally {
            Files.deleteIfExists(snapshot);
            SnapshotRestorer.deleteTree(staging);
        }
    }
}
