package com.storageos.etcd.membership;

import com.storageos.etcd.api.v1alpha1.status.ConditionReason;
import java.util.Set;

/**
 * How a {@link Step.RestartPod} disrupts its pod. Through the Eviction API wherever the PodDisruptionBudget can arbitrate, so
 * that a restart and a node drain never take two members at once: the budget counts the eviction the drain made a moment
 * ago, which this observation may not show yet. A plain delete only where the budget would refuse forever: a recovery's
 * restarts (quorum is already lost, so the budget has no healthy pods to protect) and a cluster of fewer than 3 voters
 * (its budget, minAvailable = quorum = every voter, allows no disruption at all). Either way the pod's UID from the
 * observation is a precondition: a pod already replaced since then is left alone.
 *
 * @param podUid the UID the observation saw, empty when it saw no pod
 */
public record PodDisruption(Via via, String podUid) {
    public enum Via { Eviction, Delete }

    private static final Set<ConditionReason> QUORUM_ALREADY_LOST = Set.of(ConditionReason.RecoveringFromSurvivor,
            ConditionReason.RestoringFromBackup);

    public static PodDisruption of(Step.RestartPod restart, ClusterObservation obs) {
        String uid = obs.pod(restart.ordinal()).map(PodState::uid).orElse("");
        boolean budgetCanAllow = obs.voters().size() >= 3;
        boolean evict = budgetCanAllow && !QUORUM_ALREADY_LOST.contains(restart.purpose().condition());
        return new PodDisruption(evict ? Via.Eviction : Via.Delete, uid);
    }
}
