package com.storageos.etcd.toolcontract;

import java.time.Duration;

/**
 * The status.progress entries the tools write while they run, and when the operator drops one: a tool refreshes its entry at
 * least every {@link #REFRESH} while it works and removes it when it ends, so an entry older than {@link #STALE_AFTER} is of a
 * tool whose pod died.
 */
public final class ToolProgress {
    public static final String BACKUP = "Backup";
    public static final String DEFRAG = "Defrag";
    public static final Duration REFRESH = Duration.ofSeconds(2);
    public static final Duration STALE_AFTER = Duration.ofMinutes(2);

    private ToolProgress() {
    }
}
