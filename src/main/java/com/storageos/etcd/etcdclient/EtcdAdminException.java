package com.storageos.etcd.etcdclient;

/** A failed etcd call, classified so that callers can tell "wait and retry" from "give up". */
public class EtcdAdminException extends RuntimeException {

    public enum Kind {
        /** The learner is not yet in sync with the leader; try the promotion again shortly. */
        LEARNER_NOT_READY,
        /** etcd refused a reconfiguration because the cluster is not healthy enough yet (strict reconfig check). */
        UNHEALTHY_CLUSTER,
        /** The member ID is not in the cluster. */
        MEMBER_NOT_FOUND,
        /** The peer URL already belongs to a member. */
        PEER_URL_EXISTS,
        /** No member answered within the deadline. */
        UNAVAILABLE,
        /** Anything else. */
        OTHER
    }

    private final Kind kind;

    public EtcdAdminException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** True for failures that go away by themselves: retry with backoff, do not fail the reconcile. */
    public boolean isTransient() {
        return kind == Kind.LEARNER_NOT_READY || kind == Kind.UNHEALTHY_CLUSTER || kind == Kind.UNAVAILABLE;
    }
}
