package com.storageos.etcd.tool.bootstrap;

import com.storageos.etcd.membership.EtcdVersion;
import com.storageos.etcd.tool.backup.BackupStore;
import com.storageos.etcd.tool.pitr.PointInTimeRestorer;
import com.storageos.etcd.tool.pitr.ReplayPlan;
import com.storageos.etcd.tool.pitr.ReplayResult;
import com.storageos.etcd.tool.restore.RestoreBinary;
import com.storageos.etcd.tool.restore.SnapshotRestorer;
import com.storageos.etcd.toolcontract.BootstrapReport;
import com.storageos.etcd.toolcontract.MemberPaths;
import com.storageos.etcd.toolcontract.RestoreTarget;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Member 0's restore, planned in full (target read, store listed, snapshot and chain chosen) before anything on its
 * volume is touched, so that a target that cannot be restored is refused with the data where it was. Then restored: the
 * snapshot by etcd's own restore, its chain replayed by etcd on loopback ({@link PointInTimeRestorer}) before etcd opens
 * to clients. etcd 3.4's data is restored from the snapshot alone: the image's etcd, which replays, is 3.5, and 3.5
 * opening 3.4's data would raise its storage version past what 3.4 starts on.
 */
final class BackupSeed implements AutoCloseable {
    /** The etcd that opens restored data on loopback to replay a chain; the image's unless set (tests). */
    static final String REPLAY_ETCD = "ETCD";

    private final BackupStore store;
    private final ReplayPlan plan;
    private final boolean snapshotOnly;
    private final Map<String, String> env;
    private final String etcdVersion;

    private BackupSeed(BackupStore store, ReplayPlan plan, boolean snapshotOnly, Map<String, String> env, String etcdVersion) {
        this.store = store;
        this.plan = plan;
        this.snapshotOnly = snapshotOnly;
        this.env = env;
        this.etcdVersion = etcdVersion;
    }

    /** A restore that cannot be served, said before anything is touched. */
    static final class Refused extends Exception {
        Refused(String why) {
            super(BootstrapReport.RESTORE_REFUSED + " " + why + "; nothing on the volumes was changed by this restore");
        }
    }

    static BackupSeed plan(BootstrapCommand.Restore restore, Map<String, String> env) throws Refused {
        RestoreTarget target;
        try {
            target = RestoreTarget.of(restore.spec());
        } catch (IllegalArgumentException e) {
            throw new Refused(e.getMessage());
        }
        boolean snapshotOnly = EtcdVersion.parse(restore.etcdVersion()).map(v -> !v.atLeast(3, 5)).orElse(false);
        if (snapshotOnly && target.needsReplay()) {
            throw new Refused("etcd " + restore.etcdVersion() + " restores full snapshots only: ask for latest or a backup name");
        }
        BackupStore store = null;
        try {
            store = SnapshotRestorer.open(restore.spec(), env);
            ReplayPlan plan = ReplayPlan.of(target, store.list(), snapshotOnly ? List.of() : store.chunks());
            return new BackupSeed(store, plan, snapshotOnly, env, restore.etcdVersion());
        } catch (IOException | RuntimeException e) {
            Optional.ofNullable(store).ifPresent(BackupStore::close);
            throw new Refused("cannot restore " + describe(target) + ": " + e.getMessage());
        }
    }

    String snapshotName() {
        return plan.snapshot().name();
    }

    /** Restores into {@code dataDir}, which must not exist; what was recovered, for the termination message. */
    BootstrapReport.Recovered restore(String memberName, String peerUrl, String token, Path dataDir)
            throws IOException, InterruptedException {
        SnapshotRestorer layout = new SnapshotRestorer(RestoreBinary.forVersion(etcdVersion, env));
        if (snapshotOnly) {
            layout.restore(store, plan.snapshot(), memberName, peerUrl, token, dataDir);
            return new BootstrapReport.Recovered(OptionalLong.empty(), true, "restored " + plan.snapshot().name() + " as it is:"
                    + " etcd " + etcdVersion + " restores full snapshots only, so changes recorded after it were not replayed");
        }
        if (plan.snapshotAlone()) {
            // Nothing to replay (no continuous backup, or no change after the snapshot): etcd's own restore alone, with no
            // etcd opened on loopback inside the init container.
            layout.restore(store, plan.snapshot(), memberName, peerUrl, token, dataDir);
            return new BootstrapReport.Recovered(OptionalLong.empty(), true, "restored " + plan.snapshot().name()
                    + "; the store holds no change recorded after it");
        }
        ReplayResult result = new PointInTimeRestorer(layout, env.getOrDefault(REPLAY_ETCD, MemberPaths.ETCD_BINARY))
                .restore(store, plan, memberName, peerUrl, token, dataDir);
        return new BootstrapReport.Recovered(OptionalLong.of(result.recoveredRevision()), result.complete(), result.message());
    }

    private static String describe(RestoreTarget target) {
        if (target instanceof RestoreTarget.AtRevision r) {
            return "revision " + r.revision();
        }
        if (target instanceof RestoreTarget.AtTime t) {
            return "the state at " + t.time();
        }
        return target instanceof RestoreTarget.Backup b ? "backup " + b.name() : "the latest backup";
    }

    @Override
    public void close() {
        store.close();
    }
}
