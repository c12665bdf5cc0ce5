package com.storageos.etcd.membership;

/**
 * One etcd member joined with what the operator knows about it.
 *
 * @param ordinal the StatefulSet ordinal whose peer URL this member has, or -1 for a member the
 *                operator did not create (for example an external member during a migration)
 * @param healthy the member answered a health check in this observation
 * @param version etcd's server version, empty when the member did not answer
 * @param raftIndex the raft index the member reported about itself, 0 when it did not answer its status call
 * @param revision  the key-value revision it reported, 0 when it did not answer
 */
public record ObservedMember(long id, String name, String peerUrl, String clientUrl, int ordinal,
                             boolean learner, boolean healthy, boolean leader,
                             String version, long dbSize, long dbSizeInUse, long raftIndex, long revision) {

    public boolean started() {
        return name != null && !name.isEmpty();
    }

    /** It answered its own status call, so its raft index and revision are known (quorum is not needed for that). */
    public boolean answeredStatus() {
        return raftIndex > 0;
    }

    public boolean voter() {
        return !learner;
    }
}
