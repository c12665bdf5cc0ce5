package com.storageos.etcd.membership;

import java.util.List;
import java.util.Set;

/**
 * The recorded state of a migration from an external etcd cluster (status.migration). Between the membership
 * journals it runs (one learner added, one external member removed), this phase is what an operator that
 * restarted resumes from.
 *
 * @param externalIds the external members found when the plan was made: only these are ever removed
 */
public record Migration(Phase phase, String planId, List<String> plan, Set<Long> externalIds) {
    /**
     * Approves the plan whose ID is its value. An annotation, not a spec field: approval is a one-time request about one
     * plan, not desired state, and it must not survive a change of that plan (a spec field would stay set and silently
     * approve the next plan too). A stale value approves nothing.
     */
    public static final String APPROVAL_ANNOTATION = "etcd.storageos.com/approve-migration";

    public enum Phase {
        /** The plan is shown; nothing is touched until it is approved. */
        Proposed,
        /** This cluster's members join as learners, one at a time, and are promoted. */
        Joining,
        /** Every member of ours votes: StorageOS's address moves to them before any external member goes. */
        SwitchingClients,
        /** The external members are removed one by one, an external leader last and after a leader move. */
        RemovingExternalMembers,
        /** An ordinary EtcdCluster from here on. */
        Completed
    }

    public Migration {
        plan = List.copyOf(plan);
        externalIds = Set.copyOf(externalIds);
    }

    /** Until StorageOS was switched, its address must keep naming the external members. */
    public boolean holdsStorageOS() {
        return phase == Phase.Proposed || phase == Phase.Joining;
    }

    public Migration withPhase(Phase next) {
        return new Migration(next, planId, plan, externalIds);
    }
}
