package com.storageos.etcd.etcdclient;

import java.io.OutputStream;
import java.util.List;
import java.util.Optional;

/**
 * Everything the operator and its tools ask of a running etcd cluster, in plain records.
 * Implementations hold one client connection for one cluster; every call has a deadline and
 * fails with {@link EtcdAdminException} instead of hanging.
 */
public interface EtcdAdmin extends AutoCloseable {

    /** The cluster's member list, learners included, as the answering member sees it. */
    List<EtcdMember> listMembers();

    /**
     * The member list as the one member at this client URL holds it (served from its local state, so a member cut off
     * or on data of another cluster can answer with a list the others do not share).
     */
    MemberListing listMembersAt(String clientUrl);

    /** etcd's cluster ID, fixed when the cluster first formed. */
    long clusterId();

    /** Adds a non-voting learner with this peer URL; returns the new member and the full list after the add. */
    MemberAddResult addLearner(String peerUrl);

    /** Promotes a learner; fails with {@link EtcdAdminException.Kind#LEARNER_NOT_READY} while it is behind. */
    void promote(long memberId);

    void remove(long memberId);

    /** {@code member update}: the member's peer URLs become just {@code peerUrl}; the member itself need not answer. */
    void updatePeerUrl(long memberId, String peerUrl);

    /** Transfers leadership to {@code targetId}. The request is sent to the current leader. */
    void moveLeader(long targetId);

    /** The status of the member serving at one client URL. */
    EndpointStatus status(String clientUrl);

    /**
     * etcd's cluster version ({@code GET /version}, "etcdcluster"): major.minor.0 of the lowest minor release any
     * member runs, moved by the leader once every member runs a newer one. Empty until the members agreed on one.
     */
    Optional<String> clusterVersion();

    /** True when the member at this client URL answers a linearizable read within the deadline. */
    boolean isHealthy(String clientUrl);

    /** Defragments the one member serving at this client URL; blocks that member while it runs. */
    void defragment(String clientUrl);

    List<EtcdAlarm> alarms();

    /** Clears every alarm of this type, for example {@code NOSPACE} once space is back. */
    void disarm(EtcdAlarm alarm);

    /**
     * Streams a snapshot from the member at this client URL into {@code out}, including etcd's
     * sha256 trailer; returns the number of bytes written.
     */
    long snapshot(String clientUrl, OutputStream out);

    @Override
    void close();
}
