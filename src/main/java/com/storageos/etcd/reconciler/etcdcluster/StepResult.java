package com.storageos.etcd.reconciler.etcdcluster;

import java.time.Duration;
import java.util.OptionalInt;

/**
 * What executing a step did.
 *
 * @param statefulSetReplicas the pod count the StatefulSet must now have, when the step changed it
 * @param failure             why the action did not go through this time (a transient etcd refusal), or null
 * @param error               the action failed (an etcd refusal or an API error): the status says so and the step is
 *                            retried with back-off; null otherwise
 * @param requeueAfter        when to look again (for an error, the caller's back-off decides)
 */
record StepResult(OptionalInt statefulSetReplicas, String failure, String error, Duration requeueAfter) {
    static StepResult after(Duration requeue) {
        return new StepResult(OptionalInt.empty(), null, null, requeue);
    }

    static StepResult scaled(int replicas, Duration requeue) {
        return new StepResult(OptionalInt.of(replicas), null, null, requeue);
    }

    static StepResult refused(String why, Duration requeue) {
        return new StepResult(OptionalInt.empty(), why, null, requeue);
    }

    static StepResult failed(String error) {
        return new StepResult(OptionalInt.empty(), null, error, Duration.ZERO);
    }
}
