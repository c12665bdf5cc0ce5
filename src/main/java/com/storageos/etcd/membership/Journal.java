package com.storageos.etcd.membership;

import java.time.Duration;
import java.time.Instant;

/**
 * The one membership change in flight, as recorded in status.pendingChange before the operator
 * acts. It names the intent and the progress, so that an operator that crashed at any point
 * resumes from etcd's real state.
 *
 * @param memberId the etcd member this change added, or removes; 0 when not known yet
 */
public record Journal(Operation operation, Phase phase, int ordinal, String peerUrl, long memberId,
                      Instant startedAt, Instant phaseStartedAt) {

    public enum Operation { Bootstrap, ScaleUp, ScaleDown, ReplaceMember }

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
        MemberAdded
    }

    public Journal withPhase(Phase next, long id, Instant now) {
        return new Journal(operation, next, ordinal, peerUrl, id, startedAt, now);
    }

    public Duration phaseAge(Instant now) {
        return Duration.between(phaseStartedAt, now);
    }

    public static Journal start(Operation operation, Phase phase, int ordinal, String peerUrl, long memberId, Instant now) {
        return new Journal(operation, phase, ordinal, peerUrl, memberId, now, now);
    }
}
