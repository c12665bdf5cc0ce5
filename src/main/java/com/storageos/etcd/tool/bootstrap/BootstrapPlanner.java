package com.storageos.etcd.tool.bootstrap;

import com.storageos.etcd.tool.bootstrap.BootstrapDecision.ForceNewCluster;
import com.storageos.etcd.tool.bootstrap.BootstrapDecision.Join;
import com.storageos.etcd.tool.bootstrap.BootstrapDecision.LeaveForRecovery;
import com.storageos.etcd.tool.bootstrap.BootstrapDecision.NewCluster;
import com.storageos.etcd.tool.bootstrap.BootstrapDecision.Refuse;
import com.storageos.etcd.tool.bootstrap.BootstrapDecision.Restart;
import com.storageos.etcd.tool.bootstrap.BootstrapDecision.RestartRestored;
import com.storageos.etcd.tool.bootstrap.BootstrapDecision.SeedFromBackup;
import com.storageos.etcd.toolcontract.BootstrapReport;

/**
 * Pure: decides how a member pod starts. The one rule above all: never form a new cluster over a
 * cluster that has formed before, and never start a member with an empty data dir under the
 * identity of a member that etcd still counts (that would rejoin without data). Nor over volumes that an
 * earlier cluster of the same name left behind.
 */
public final class BootstrapPlanner {
    public static final String BOOTSTRAP_MARKER = "bootstrap";

    public BootstrapDecision decide(MemberView v) {
        if (v.journal().filter(MemberView.JournalEntry::isRecovery).isPresent()) {
            return recover(v, v.journal().get());
        }
        if (v.journal().filter(MemberView.JournalEntry::isRestoreFromBackup).isPresent()) {
            return restoreInPlace(v);
        }
        if (v.seedMarker().isPresent() && !v.clusterFormed()
                && v.journal().filter(j -> j.isBootstrapCovering(v.ordinal())).isPresent()) {
            return seedNewCluster(v);
        }
        if (v.journal().filter(j -> j.isJoinFor(v.ordinal())).isPresent()) {
            return join(v, v.journal().get());
        }
        if (v.dataOfAnEarlierIncarnation()) {
            MemberView.ClusterIds ids = v.clusterIds().get();
            return new Refuse(BootstrapReport.DATA_LOST + " the data dir of " + v.name() + " belongs to etcd cluster "
                    + Long.toHexString(ids.data()) + ", but this cluster is " + Long.toHexString(ids.recorded()) + " (status.clusterId):"
                    + " data of an earlier incarnation (from before a restore; a volume rolled back, a copy put back). It never"
                    + " starts; the operator replaces the member under a new ID, and the data is moved aside and kept");
        }
        if (v.dataOfAnEarlierMember()) {
            return new Refuse(BootstrapReport.DATA_LOST + " the data dir of " + v.name() + " was written by member " + v.dataMarker().get()
                    + ", but this name is member " + v.recordedMemberId().get() + " now: the data is an earlier member's (a volume"
                    + " rolled back, or data from before a restore). It never starts; the operator replaces the member and the"
                    + " data is moved aside");
        }
        if (v.hasData()) {
            return new Restart();
        }
        if (v.journal().filter(j -> j.isBootstrapCovering(v.ordinal())).isPresent() && v.ordinal() == 0 && !v.clusterFormed()) {
            var retained = v.journal().get().retainedOrdinals();
            if (!retained.isEmpty()) {
                return new Refuse(BootstrapReport.RETAINED_MEMBERS + " " + v.name() + " has no data, but the claims of ordinals "
                        + retained.stream().sorted().toList() + " were kept from an earlier cluster of this name; waiting for those"
                        + " members to form their quorum again. A new cluster is never formed over them");
            }
            return new NewCluster();
        }
        if (v.startedMembers().contains(v.name())) {
            return new Refuse(BootstrapReport.DATA_LOST + " member " + v.name() + " is still part of the etcd cluster but its data dir holds no WAL;"
                    + " the operator will remove it and add it back as a learner");
        }
        if (v.movedAside()) {
            return new Refuse(BootstrapReport.MOVED_ASIDE + " " + v.name() + " was removed by a recovery from another member and its"
                    + " data moved aside on its volume; waiting for the operator to add it back as a learner");
        }
        return new Refuse(BootstrapReport.NOT_A_MEMBER + " " + v.name() + " is not an etcd member yet; waiting for the operator to add it");
    }

    /**
     * The survivor restarts on its data, with --force-new-cluster while the journal is in that phase and without it
     * after; every other member leaves: whatever data it has is moved aside, since the survivor's is the one kept.
     */
    private static BootstrapDecision recover(MemberView v, MemberView.JournalEntry j) {
        if (j.ordinal() != v.ordinal()) {
            return new LeaveForRecovery(BootstrapReport.MOVED_ASIDE + " recovering from member " + j.memberIdHex() + " (ordinal "
                    + j.ordinal() + "): " + v.name() + " leaves the membership; its data, if any, is moved aside on its volume"
                    + " (never deleted), and it joins again as a learner");
        }
        if (!v.hasData()) {
            return new Refuse(BootstrapReport.DATA_LOST + " " + v.name() + " was chosen to recover from, but its data dir holds no WAL;"
                    + " ask again with a new value to choose another survivor");
        }
        return "ForceNewCluster".equals(j.phase()) ? new ForceNewCluster() : new Restart();
    }

    /**
     * A new cluster restored from a backup (spec.bootstrap.restore): a requested restore is never skipped for data
     * found on a volume, since that data belongs to an earlier cluster (a new cluster has never written any); it is
     * moved aside. Member 0 restores once: data it restored under this cluster's marker is its own. The others move
     * theirs aside too and join the restored cluster as learners.
     */
    private static BootstrapDecision seedNewCluster(MemberView v) {
        if (v.ordinal() != 0) {
            return new LeaveForRecovery(BootstrapReport.MOVED_ASIDE + " " + v.name() + " waits for member 0 to be restored from"
                    + " a backup; data found on its volume, from an earlier cluster, is moved aside (never deleted), and it"
                    + " joins as a learner");
        }
        return v.seededAlready() ? new Restart() : new SeedFromBackup(v.seedMarker().get(), false);
    }

    /** A restore-from-backup recovery: member 0 is seeded from the backup, once per request; every other member leaves. */
    private static BootstrapDecision restoreInPlace(MemberView v) {
        if (v.ordinal() != 0) {
            return new LeaveForRecovery(BootstrapReport.MOVED_ASIDE + " restoring a backup in place: " + v.name() + " leaves the"
                    + " membership; its data, if any, is moved aside on its volume (never deleted), and it joins again as a learner");
        }
        if (v.seedMarker().isEmpty()) {
            return new Refuse(BootstrapReport.NO_BACKUP_STORE + " " + v.name() + " is to be restored from a backup, but neither"
                    + " spec.backup nor spec.bootstrap.restore names a backup store");
        }
        return v.seededAlready() ? new RestartRestored() : new SeedFromBackup(v.seedMarker().get(), true);
    }

    private static BootstrapDecision join(MemberView v, MemberView.JournalEntry j) {
        if (!v.hasData()) {
            return new Join(j.memberIdHex(), j.initialCluster(), false);
        }
        if (v.dataMarker().filter(j.memberIdHex()::equals).isPresent()) {
            return new Restart();
        }
        if (v.dataMarker().isPresent()) {
            // The data belongs to an earlier incarnation of this name, which the operator removed
            // from etcd before it added the new learner: it can never rejoin, so moving it aside is safe.
            return new Join(j.memberIdHex(), j.initialCluster(), true);
        }
        return new Refuse(BootstrapReport.UNKNOWN_DATA + " the data dir of " + v.name() + " was not created by this operator;"
                + " refusing to overwrite it. Move it away to let the member join");
    }
}
