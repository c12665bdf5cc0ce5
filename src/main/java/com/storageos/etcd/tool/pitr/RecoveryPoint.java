package com.storageos.etcd.tool.pitr;

import java.time.Duration;
import java.time.Instant;

/**
 * What a restore to {@code latest} would bring back now: every revision up to {@code revision} is in the store, and
 * {@code asOf} is when that was the cluster's newest as far as the follower knew (when the newest stored change was
 * seen, or when etcd last confirmed that nothing newer exists).
 */
public record RecoveryPoint(long revision, Instant asOf) {
    public Duration age(Instant now) {
        return Duration.between(asOf, now);
    }
}
