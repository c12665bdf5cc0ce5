package com.storageos.etcd.sandbox.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OutageTrackerTest {
    private static final long MS = 1_000_000L;

    @Test
    void nothingBeforeTheFirstSuccessCounts() {
        OutageTracker t = new OutageTracker();
        assertThat(t.longestMillis(5_000 * MS)).isZero();
        t.success(5_000 * MS);
        assertThat(t.longestMillis(5_020 * MS)).isEqualTo(20);
    }

    @Test
    void theLongestGapBetweenSuccessesWins() {
        OutageTracker t = new OutageTracker();
        t.success(0);
        t.success(20 * MS);
        t.success(1_520 * MS);
        t.success(1_540 * MS);
        assertThat(t.longestMillis(1_550 * MS)).isEqualTo(1_500);
    }

    @Test
    void anOutageStillUnderWayCounts() {
        OutageTracker t = new OutageTracker();
        t.success(0);
        t.success(100 * MS);
        assertThat(t.longestMillis(3_100 * MS)).isEqualTo(3_000);
    }
}
