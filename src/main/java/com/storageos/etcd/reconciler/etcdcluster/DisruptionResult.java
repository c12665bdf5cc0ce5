package com.storageos.etcd.reconciler.etcdcluster;

import com.storageos.etcd.reconciler.etcdcluster.pods.ClusterOperations;
import java.time.Duration;

/**
 * What a pod disruption's outcome means for the step that asked for it, for a member pod and a StorageOS node pod alike:
 * a pod that is going is announced and looked at again shortly; a PodDisruptionBudget's refusal is asked again after
 * {@link #BUDGET_RETRY}, never worked around (the budget arbitrates each retry); a pod already replaced needs no disruption.
 */
final class DisruptionResult {
    static final Duration BUDGET_RETRY = Duration.ofSeconds(2);

    private DisruptionResult() {
    }

    /**
     * @param announce      the Event once the pod is going
     * @param refusal       what the status says while the budget refuses
     * @param afterReplaced when to look again at a pod replaced since the observation
     */
    static StepResult of(ClusterOperations.Disrupted outcome, Runnable announce, String refusal, Duration afterReplaced) {
        return switch (outcome) {
            case DONE -> {
                announce.run();
                yield StepResult.after(StepExecutor.POD);
            }
            case REFUSED_BY_BUDGET -> StepResult.refused(refusal, BUDGET_RETRY);
            case ALREADY_REPLACED -> StepResult.after(afterReplaced);
        };
    }
}
