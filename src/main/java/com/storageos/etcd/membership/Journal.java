package com.storageos.etcd.membership;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * The one membership change in flight, as recorded in status.pendingChange before the operator
 * acts. It names the intent and the progress, so that an operator that crashed at any point
 * resumes from etcd's real state.
 *
 * @param memberId         the etcd member this change added, or removes; 0 when not known yet
 * @param retainedOrdinals for a Bootstrap: the ordinals above 0 whose data claims already existed (a recreated
 *                         EtcdCluster, or one restored without its status). Their members come back on their data,
 *                         and member 0 never forms a new cluster over them.
 * @param forced           for a recovery: it was asked with a force- value, so it goes on even if quorum returns
 */
public record Journal(Operation operation, Phase phase, int ordinal, String peerUrl, long memberId,
                      Instant startedAt, Instant phaseStartedAt, Set<Integer> retainedOrdinals, boolean forced) {

    public enum Operation {
        Bootstrap, ScaleUp, ScaleDown, ReplaceMember,
        /** Quorum lost: the survivor at {@link #ordinal} ({@link #memberId}) restarts alone with --force-new-cluster. */
        RecoverFromSurvivor,
        /** No member's data survived: member 0 is seeded from a backup on its own volume, the others' data moved aside. */
        RestoreFromBackup,
        /** A migration removes one external member ({@link #memberId}, ordinal -1); the journal closes once etcd lost it. */
        RemoveExternal,
        /**
         * A failed migration removes one member of ours ({@link #memberId}, at {@link #ordinal}) from the external cluster;
         * the journal closes once etcd lost it.
         */
        RollBackMigration,
        /**
         * A pod above every member's ordinal, with no member of its own, is retired (phase MemberRemoved): the StatefulSet is
         * lowered and the journal closes once the pod is gone. Its volume is kept; nothing left etcd.
         */
        RetirePod
    }

    public enum Phase {
        /** Pods are starting; for Bootstrap, the first member forms the cluster. */
        Starting,
        /** The member is to be removed from etcd (ScaleDown, or the first half of ReplaceMember). */
        RemoveRequested,
        /** The member is gone from etcd; its pod and volume are being retired. */
        MemberRemoved,
        /** A learner is to be added with {@link #peerUrl}. */
        AddRequested,
        /** The learner exists in etcd with {@link #memberId}; its pod starts, then it is promoted. */
        MemberAdded,
        /**
         * RecoverFromSurvivor: the other members' pods restart (their bootstrap moves their data aside), then the
         * survivor's, whose bootstrap starts etcd with --force-new-cluster on its own data.
         */
        ForceNewCluster,
        /** RecoverFromSurvivor: the survivor runs alone; its pod restarts once more, without the flag. */
        ClearForceFlag,
        /**
         * RestoreFromBackup: every member pod restarts; the others' bootstrap moves their data aside, member 0's moves its
         * data aside and restores the backup status.recovery names, as a new one-member cluster.
         */
        SeedFromBackup
    }

    public Journal {
        retainedOrdinals = Set.copyOf(retainedOrdinals);
    }

    public Journal withPeerUrl(String url) {
        return new Journal(operation, phase, ordinal, url, memberId, startedAt, phaseStartedAt, retainedOrdinals, forced);
    }

    public Journal withPhase(Phase next, long id, Instant now) {
        return new Journal(operation, next, ordinal, peerUrl, id, startedAt, now, retainedOrdinals, forced);
    }

    public Journal withForced(boolean force) {
        return new Journal(operation, phase, ordinal, peerUrl, memberId, startedAt, phaseStartedAt, retainedOrdinals, force);
    }

    public Duration phaseAge(Instant now) {
        return Duration.between(phaseStartedAt, now);
    }

    public static Journal start(Operation operation, Phase phase, int ordinal, String peerUrl, long memberId, Instant now) {
        return new Journal(operation, phase, ordinal, peerUrl, memberId, now, now, Set.of(), false);
    }

    /** Starts pods up to {@code lastOrdinal}; {@code retainedOrdinals} hold data of an earlier incarnation. */
    public static Journal bootstrap(int lastOrdinal, Set<Integer> retainedOrdinals, Instant now) {
        return new Journal(Operation.Bootstrap, Phase.Starting, lastOrdinal, "", 0, now, now, retainedOrdinals, false);
    }
}
