package com.storageos.etcd.status;

import com.storageos.etcd.api.v1alpha1.status.PendingChange;
import com.storageos.etcd.membership.Journal;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/** Maps the planner's journal to status.pendingChange and back. Member IDs are written in hex, as etcdctl prints them. */
public final class PendingChanges {
    private PendingChanges() {
    }

    public static Optional<Journal> read(PendingChange p) {
        if (p == null || p.getOperation() == null || p.getPhase() == null) {
            return Optional.empty();
        }
        return Optional.of(new Journal(Journal.Operation.valueOf(p.getOperation()), Journal.Phase.valueOf(p.getPhase()),
                p.getOrdinal() == null ? 0 : p.getOrdinal(), p.getPeerURL() == null ? "" : p.getPeerURL(),
                p.getMemberId() == null ? 0 : Long.parseUnsignedLong(p.getMemberId(), 16),
                instant(p.getStartedAt()), instant(p.getPhaseStartedAt()),
                p.getRetainedOrdinals() == null ? Set.of() : Set.copyOf(p.getRetainedOrdinals()), Boolean.TRUE.equals(p.getForced())));
    }

    /**
     * @param memberName     the name the member has or will have
     * @param initialCluster for a joining learner, etcd's initial-cluster; null otherwise
     */
    public static PendingChange write(Journal j, String memberName, String initialCluster) {
        PendingChange p = new PendingChange();
        p.setOperation(j.operation().name());
        p.setPhase(j.phase().name());
        p.setOrdinal(j.ordinal());
        p.setMemberName(memberName);
        p.setPeerURL(j.peerUrl().isEmpty() ? null : j.peerUrl());
        p.setMemberId(j.memberId() == 0 ? null : Long.toHexString(j.memberId()));
        p.setInitialCluster(initialCluster);
        p.setStartedAt(j.startedAt().toString());
        p.setPhaseStartedAt(j.phaseStartedAt().toString());
        p.setRetainedOrdinals(j.retainedOrdinals().isEmpty() ? null : j.retainedOrdinals().stream().sorted().toList());
        p.setForced(j.forced() ? Boolean.TRUE : null);
        return p;
    }

    private static Instant instant(String text) {
        return text == null ? Instant.EPOCH : Instant.parse(text);
    }
}
