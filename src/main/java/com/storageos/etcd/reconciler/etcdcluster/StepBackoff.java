package com.storageos.etcd.reconciler.etcdcluster;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When to retry a cluster whose step keeps failing: 1 s, doubling to a cap, and back to the step's own
 * pace as soon as a step goes through. Kept per operator process; a new leader starts again at 1 s.
 * Also caps steps that ask to go on at once: a few in a row run at once (record, act, apply), but a
 * cluster that keeps asking without ever reaching a step with a pace of its own waits {@link #FIRST}
 * between reconciles instead of spinning, since JOSDK's own retry back-off sees no failure there.
 */
final class StepBackoff {
    static final Duration FIRST = Duration.ofSeconds(1);
    static final int MAX_DOUBLINGS = 5; // 32 s
    static final Duration IMMEDIATE = Duration.ofMillis(10);
    static final int MAX_IMMEDIATE = 10;
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();
    private final Map<String, Integer> immediates = new ConcurrentHashMap<>();

    /** Counts one more failure of the cluster with this UID; returns how long to wait before the retry. */
    Duration failed(String uid) {
        int streak = failures.merge(uid, 1, Integer::sum);
        return FIRST.multipliedBy(1L << Math.min(streak - 1, MAX_DOUBLINGS));
    }

    void succeeded(String uid) {
        failures.remove(uid);
    }

    /** One more step of the cluster with this UID that asks to go on at once; returns how long to wait. */
    Duration immediate(String uid) {
        return immediates.merge(uid, 1, Integer::sum) <= MAX_IMMEDIATE ? IMMEDIATE : FIRST;
    }

    /** A step with a pace of its own (a wait, the resync, a failure's back-off) ends a run of immediate ones. */
    void paced(String uid) {
        immediates.remove(uid);
    }
}
