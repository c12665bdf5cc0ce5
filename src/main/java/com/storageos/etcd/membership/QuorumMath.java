package com.storageos.etcd.membership;

/** Raft arithmetic. */
public final class QuorumMath {
    private QuorumMath() {
    }

    /** Votes needed for a decision among {@code voters}. */
    public static int quorum(int voters) {
        return voters / 2 + 1;
    }

    /** Voters that may fail while the rest still decide. */
    public static int faultTolerance(int voters) {
        return voters - quorum(voters);
    }
}
