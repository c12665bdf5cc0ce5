package com.storageos.etcd.tool.pitr;

import java.util.function.Consumer;

/** The change follower on a thread of its own, as the agent's main thread runs it; a failure goes to {@code log}. */
final class FollowerThread {
    private FollowerThread() {
    }

    static Thread start(ChangeFollower follower, Consumer<String> log) {
        Thread thread = new Thread(() -> {
            try {
                follower.run();
            } catch (Exception e) {
                log.accept("follower failed: " + e);
            }
        });
        thread.start();
        return thread;
    }
}
