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
 * @param reportedLeader the leader the member itself names in its status answer (served from its local raft state,
 *                  without quorum), 0 when it knows none or did not answer: a member that lost its leader (a
 *                  candidate, or a leader that stepped down for want of a quorum) reports 0 within an election timeout
 * @param raftTerm  the raft term it reported, 0 when it did not answer
 * @param answeredAs the member ID the etcd at its URL runs as: from its status answer, else from its metrics listener
 *                  (an etcd on data of an earlier cluster is never published and never answers the client URL); 0 when
 *                  neither answered
 */
public record ObservedMember(long id, String name, String peerUrl, String clientUrl, int ordinal,
                             boolean learner, boolean healthy, boolean leader,
                             String version, long dbSize, long dbSizeInUse, long raftIndex, long revision,
                             long reportedLeader, long raftTerm, long answeredAs) {

    /** A member whose URL no other etcd answers at. */
    public ObservedMember(long id, String name, String peerUrl, String clientUrl, int ordinal, boolean learner, boolean healthy,
                          boolean leader, String version, long dbSize, long dbSizeInUse, long raftIndex, long revision,
                          long reportedLeader, long raftTerm) {
        this(id, name, peerUrl, clientUrl, ordinal, learner, healthy, leader, version, dbSize, dbSizeInUse, raftIndex, revision,
                reportedLeader, raftTerm, raftIndex > 0 ? id : 0);
    }

    /**
     * The etcd at its URL runs as another member: its pod runs on data of an earlier member of that name or of an earlier
     * cluster incarnation (a volume rolled back to a copy from before the member was replaced, or from before a restore). That etcd is no member of
     * this cluster, and this member is down until its pod's bootstrap looks at the data again.
     */
    public boolean servedByAnotherMember() {
        return answeredAs != 0 && answeredAs != id;
    }

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
