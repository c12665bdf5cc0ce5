package com.storageos.etcd.toolcontract;

/**
 * status.lastDefrag.outcome as the defrag tool writes it and the operator's metrics read it: {@link #SUCCEEDED}, or
 * "Failed: " and why.
 */
public final class DefragOutcome {
    public static final String SUCCEEDED = "Succeeded";

    private DefragOutcome() {
    }
}
