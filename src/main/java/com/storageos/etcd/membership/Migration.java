package com.storageos.etcd.membership;

import com.storageos.etcd.api.v1alpha1.status.ConditionReason;
import com.storageos.etcd.naming.RequestAnnotations;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The recorded state of a migration from an external etcd cluster (status.migration). Between the membership
 * journals it runs (one learner added, one external member removed), this phase is what an operator that
 * restarted resumes from.
 *
 * @param externalIds the external members found when the plan was made: only these are ever removed
 * @param failureReason why it failed (RollingBack and Failed), the Degraded condition's reason; null otherwise
 * @param failure     what failed, for RollingBack and Failed; empty otherwise
 * @param switchedAt  when StorageOS's address was switched to this cluster's members; null before. A StorageOS node pod that
 *                    started by then still runs on the external members.
 * @param nodeRestart while awaiting StorageOS's restart with spec.storageos.nodeRestart Evict: the node pod evicted last,
 *                    recorded before its eviction; null otherwise
 */
public record Migration(Phase phase, String planId, List<String> plan, Set<Long> externalIds, ConditionReason failureReason,
                        String failure, Instant switchedAt, NodeRestart nodeRestart) {
    /**
     * Approves the plan whose ID is its value. An annotation, not a spec field: approval is a one-time request about one
     * plan, not desired state, and it must not survive a change of that plan (a spec field would stay set and silently
     * approve the next plan too). A stale value approves nothing.
     */
    public static final String APPROVAL_ANNOTATION = RequestAnnotations.APPROVE_MIGRATION;

    public enum Phase {
        /** The plan is shown; nothing is touched until it is approved. */
        Proposed,
        /** This cluster's members join as learners, one at a time, and are promoted. */
        Joining,
        /** Every member of ours votes: StorageOS's address moves to them before any external member goes. */
        SwitchingClients,
        /**
         * StorageOS's address names our members, but its node pods read it only when they start: no external member is
         * removed until every node pod started after the switch.
         */
        AwaitingStorageOSRestart,
        /** The external members are removed one by one, an external leader last and after a leader move. */
        RemovingExternalMembers,
        /** An ordinary EtcdCluster from here on. */
        Completed,
        /**
         * Joining failed: every member of ours is removed from the external cluster, one journaled removal at a time, then
         * its pods stop. Only reachable from Joining, so StorageOS never left the external members.
         */
        RollingBack,
        /** Rolled back: the external cluster is as it was before approval; a retry needs a new approval. */
        Failed
    }

    /** A StorageOS node pod the operator evicts: {@code pod} (UID {@code uid}) on node {@code node}, recorded at {@code at}. */
    public record NodeRestart(String pod, String uid, String node, Instant at) {
    }

    public Migration {
        plan = List.copyOf(plan);
        externalIds = Set.copyOf(externalIds);
        failure = failure == null ? "" : failure;
    }

    public Migration(Phase phase, String planId, List<String> plan, Set<Long> externalIds) {
        this(phase, planId, plan, externalIds, null, "", null, null);
    }

    public Migration(Phase phase, String planId, List<String> plan, Set<Long> externalIds, ConditionReason failureReason, String failure) {
        this(phase, planId, plan, externalIds, failureReason, failure, null, null);
    }

    /** Until StorageOS was switched, its address must keep naming the external members; a rolled-back migration never switched it. */
    public boolean holdsStorageOS() {
        return phase == Phase.Proposed || phase == Phase.Joining || phase == Phase.RollingBack || phase == Phase.Failed;
    }

    /** Rolling back or rolled back: the migration, not an open journal, decides the next step. */
    public boolean failed() {
        return phase == Phase.RollingBack || phase == Phase.Failed;
    }

    /** A node restart belongs to the wait for StorageOS: the next phase does not carry it. */
    public Migration withPhase(Phase next) {
        return new Migration(next, planId, plan, externalIds, failureReason, failure, switchedAt, null);
    }

    /** Records the StorageOS node pod about to be evicted. */
    public Migration restarting(NodeRestart restart) {
        return new Migration(phase, planId, plan, externalIds, failureReason, failure, switchedAt, restart);
    }

    /** StorageOS's address was switched at {@code at}: its node pods must restart before any external member goes. */
    public Migration switched(Instant at) {
        return new Migration(Phase.AwaitingStorageOSRestart, planId, plan, externalIds, failureReason, failure, at, null);
    }

    public Migration failing(ConditionReason reason, String why) {
        return new Migration(Phase.RollingBack, planId, plan, externalIds, reason, why, switchedAt, null);
    }
}
