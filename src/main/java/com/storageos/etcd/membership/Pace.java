package com.storageos.etcd.membership;

import java.time.Duration;

/** How soon to look again. Learners catch up in a fraction of a second, so waits start short. */
final class Pace {
    static final Duration FAST = Duration.ofMillis(100);
    static final Duration POD = Duration.ofMillis(500);

    private Pace() {
    }
}
