package com.storageos.etcd.membership;

/**
 * The words the bootstrap tool writes to its termination message, which the operator reads back.
 * Plain text with a fixed prefix, so that a person reading {@code kubectl describe pod} understands it too.
 */
public final class BootstrapReport {
    public static final String DATA_LOST = "DataLost:";
    public static final String NOT_A_MEMBER = "NotAMember:";
    public static final String UNKNOWN_DATA = "UnknownData:";
    /**
     * Member 0 has no data while the bootstrap journal says other retained volumes hold an earlier cluster: it
     * waits for them, and once they answer it is replaced like a member whose data is lost.
     */
    public static final String RETAINED_MEMBERS = "WaitingForRetainedMembers:";

    private BootstrapReport() {
    }

    public static boolean isDataLoss(String terminationMessage) {
        return terminationMessage != null && (terminationMessage.startsWith(DATA_LOST) || terminationMessage.startsWith(RETAINED_MEMBERS));
    }
}
