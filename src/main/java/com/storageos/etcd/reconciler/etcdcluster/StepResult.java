package com.storageos.etcd.reconciler.etcdcluster;

import java.time.Duration;
import java.util.OptionalInt;

/**
 * What executing a step did.
 *
 * @param statefulSetReplicas the pod count the StatefulSet must now have, when the step changed it
 * @param failure             why the action did not go through this time (a transient etcd refusal), or null
 * @param requeueAfter        when to look again
 */
record StepResult(OptionalInt statefulSetReplicas, String failure, Duration requeueAfter) {
    static StepResult after(Duration requeue) {
        return new StepResult(OptionalInt.empty(), null, requeue);
    }

    static StepResult scaled(int replicas, Duration requeue) {
        return new StepResult(OptionalInt.of(replicas), null, requeue);
    }

    static StepResult refused(String why, Duration requeue) {
        return new StepResult(OptionalInt.empty(), why, requeue);
    }
}
