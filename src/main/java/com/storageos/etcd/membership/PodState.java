package com.storageos.etcd.membership;

import com.storageos.etcd.toolcontract.BootstrapReport;
import java.time.Instant;
import java.util.Optional;

/**
 * What the operator sees of one member pod.
 *
 * @param reportedDataLoss the bootstrap init container's last termination message said the
 *                         member's data is gone (see {@link BootstrapReport})
 * @param currentRevision  the pod runs the StatefulSet's current template
 * @param crashLooping     its etcd container keeps exiting and the kubelet keeps restarting it in place
 *                         (a real kubelet never reruns the init container for that)
 * @param forcedNewCluster its bootstrap init container started etcd with {@code --force-new-cluster} (it says so in its
 *                         termination message): the survivor of a recovery, whose flag must go before the cluster grows
 * @param initialized      its bootstrap init container has succeeded (the pod's Initialized condition): a pod that has not
 *                         got there yet will decide from the journal as it is now, so restarting it would gain nothing
 * @param restore          what the pod shows of a restore from a backup
 * @param ip               the pod's IP (status.podIP), empty until it has one
 * @param uid              the pod's UID, empty when not known: a restart names it as a precondition, so that a pod that was
 *                         already replaced since this observation is never restarted again
 * @param graceEnds        for a terminating pod, when its grace period ends (its deletionTimestamp); null otherwise
 * @param keptAside        what its bootstrap reported of the copies of data moved aside on its volume; empty when none
 */
public record PodState(int ordinal, boolean ready, boolean terminating, boolean reportedDataLoss, boolean currentRevision,
                       boolean crashLooping, boolean forcedNewCluster, boolean initialized, Restore restore, String ip, String uid,
                       Instant graceEnds, Optional<BootstrapReport.KeptAside> keptAside) {

    /**
     * @param sourceMounted the pod was made with the restore source (the backup volume or store settings), which the
     *                      template hash leaves out: without it, its bootstrap cannot restore
     * @param restored      its bootstrap init container seeded (or kept) data restored for the open RestoreFromBackup
     * @param recovered     what its bootstrap's restore brought back, as it reported it: for the open RestoreFromBackup, or
     *                      for spec.bootstrap.restore into a new cluster
     * @param refused       why its bootstrap's latest run refused to restore (the target cannot be restored), if it did
     */
    public record Restore(boolean sourceMounted, boolean restored, Optional<BootstrapReport.Recovered> recovered,
                          Optional<String> refused) {
        public static final Restore NONE = new Restore(false, false);

        public Restore(boolean sourceMounted, boolean restored) {
            this(sourceMounted, restored, Optional.empty(), Optional.empty());
        }
    }

    public PodState {
        ip = ip == null ? "" : ip;
        uid = uid == null ? "" : uid;
    }

    public PodState(int ordinal, boolean ready, boolean terminating, boolean reportedDataLoss, boolean currentRevision,
                    boolean crashLooping, boolean forcedNewCluster, boolean initialized, Restore restore, String ip, String uid,
                    Instant graceEnds) {
        this(ordinal, ready, terminating, reportedDataLoss, currentRevision, crashLooping, forcedNewCluster, initialized, restore, ip, uid,
                graceEnds, Optional.empty());
    }

    public PodState(int ordinal, boolean ready, boolean terminating, boolean reportedDataLoss, boolean currentRevision,
                    boolean crashLooping, boolean forcedNewCluster, boolean initialized, Restore restore) {
        this(ordinal, ready, terminating, reportedDataLoss, currentRevision, crashLooping, forcedNewCluster, initialized, restore, "", "", null);
    }

    public PodState(int ordinal, boolean ready, boolean terminating, boolean reportedDataLoss, boolean currentRevision,
                    boolean crashLooping, boolean forcedNewCluster, boolean initialized) {
        this(ordinal, ready, terminating, reportedDataLoss, currentRevision, crashLooping, forcedNewCluster, initialized, Restore.NONE);
    }

    /** A pod past its bootstrap that did not force a new cluster: every running pod outside a recovery. */
    public PodState(int ordinal, boolean ready, boolean terminating, boolean reportedDataLoss, boolean currentRevision,
                    boolean crashLooping) {
        this(ordinal, ready, terminating, reportedDataLoss, currentRevision, crashLooping, false, true, Restore.NONE);
    }

    public PodState withIp(String podIp) {
        return new PodState(ordinal, ready, terminating, reportedDataLoss, currentRevision, crashLooping, forcedNewCluster, initialized,
                restore, podIp, uid, graceEnds, keptAside);
    }

    public PodState withUid(String podUid) {
        return new PodState(ordinal, ready, terminating, reportedDataLoss, currentRevision, crashLooping, forcedNewCluster, initialized,
                restore, ip, podUid, graceEnds, keptAside);
    }

    public PodState withGraceEnds(Instant deletionTimestamp) {
        return new PodState(ordinal, ready, terminating, reportedDataLoss, currentRevision, crashLooping, forcedNewCluster, initialized,
                restore, ip, uid, deletionTimestamp, keptAside);
    }

    public PodState withKeptAside(Optional<BootstrapReport.KeptAside> kept) {
        return new PodState(ordinal, ready, terminating, reportedDataLoss, currentRevision, crashLooping, forcedNewCluster, initialized,
                restore, ip, uid, graceEnds, kept);
    }
}
