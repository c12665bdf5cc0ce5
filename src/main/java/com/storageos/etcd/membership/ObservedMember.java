package com.storageos.etcd.membership;

/**
 * One etcd member joined with what the operator knows about it.
 *
 * @param ordinal the StatefulSet ordinal whose peer URL this member has, or -1 for a member the
 *                operator did not create (for example an external member during a migration)
 * @param healthy the member answered a health check in this observation
 */
public record ObservedMember(long id, String name, String peerUrl, int ordinal, boolean learner, boolean healthy, boolean leader) {

    public boolean started() {
        return name != null && !name.isEmpty();
    }

    public boolean voter() {
        return !learner;
    }
}
