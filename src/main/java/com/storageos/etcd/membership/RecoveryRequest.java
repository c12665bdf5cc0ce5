package com.storageos.etcd.membership;

/**
 * A person asked to recover the cluster from its most advanced surviving member. Each value is served once.
 *
 * @param value the request's value, recorded in the status as handled
 * @param force go ahead even while quorum holds (the other members' data is moved aside all the same)
 */
public record RecoveryRequest(String value, boolean force) {
    /** A value that starts with this recovers even while quorum holds. */
    public static final String FORCE_PREFIX = "force-";

    public static RecoveryRequest of(String value) {
        return new RecoveryRequest(value, value.startsWith(FORCE_PREFIX));
    }
}
