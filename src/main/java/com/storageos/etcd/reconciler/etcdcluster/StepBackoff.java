package com.storageos.etcd.reconciler.etcdcluster;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When to retry a cluster whose step keeps failing: 1 s, doubling to a cap, and back to the step's own
 * pace as soon as a step goes through. Kept per operator process; a new leader starts again at 1 s.
 */
final class StepBackoff {
    static final Duration FIRST = Duration.ofSeconds(1);
    static final int MAX_DOUBLINGS = 5; // 32 s
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();

    /** Counts one more failure of the cluster with this UID; returns how long to wait before the retry. */
    Duration failed(String uid) {
        int streak = failures.merge(uid, 1, Integer::sum);
        return FIRST.multipliedBy(1L << Math.min(streak - 1, MAX_DOUBLINGS));
    }

    void succeeded(String uid) {
        failures.remove(uid);
    }
}
