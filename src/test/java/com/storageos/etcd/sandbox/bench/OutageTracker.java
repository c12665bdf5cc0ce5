package com.storageos.etcd.sandbox.bench;

import java.time.Duration;

/**
 * The longest gap between two successful writes, counted from the first success (before it the
 * cluster does not exist yet) up to the last look, so that an outage still under way also counts.
 */
final class OutageTracker {
    private long lastSuccessNanos;
    private boolean anySuccess;
    private long longestNanos;

    synchronized void success(long nowNanos) {
        if (anySuccess) {
            longestNanos = Math.max(longestNanos, nowNanos - lastSuccessNanos);
        }
        lastSuccessNanos = nowNanos;
        anySuccess = true;
    }

    /** The longest gap so far, the current one included; 0 while nothing has succeeded yet. */
    synchronized long longestMillis(long nowNanos) {
        long current = anySuccess ? nowNanos - lastSuccessNanos : 0;
        return Duration.ofNanos(Math.max(longestNanos, current)).toMillis();
    }

    synchronized boolean anySuccess() {
        return anySuccess;
    }
}
