package com.storageos.etcd.membership;

import com.storageos.etcd.membership.Journal.Operation;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * The membership the status recorded (status.members, written whenever etcd answered) with the open
 * journal. The StatefulSet's replica count and the disruption budget follow it, so that neither a
 * hand-made {@code kubectl scale sts} nor an etcd that cannot be read (quorum lost, every pod gone)
 * shrinks them.
 *
 * @param ordinals the ordinals of the recorded members the operator created
 * @param voters   how many recorded members vote
 */
public record RecordedMembership(Set<Integer> ordinals, int voters) {

    public RecordedMembership {
        ordinals = Set.copyOf(ordinals);
    }

    /**
     * One pod per ordinal up to the highest recorded member's, and the pod an open journal starts or replaces.
     *
     * @param peerUrlOf each ordinal's stable (DNS) peer URL
     */
    public int podCount(Optional<Journal> journal, IntFunction<String> peerUrlOf) {
        int members = ordinals.stream().mapToInt(ordinal -> ordinal + 1).max().orElse(0);
        return Math.max(members, journal.filter(j -> runsPod(j, peerUrlOf)).map(j -> j.ordinal() + 1).orElse(0));
    }

    /** The voters the budget protects: etcd's count when it answered, else the last recorded one. */
    public int voters(ClusterObservation obs) {
        return obs.etcdReachable() ? obs.voters().size() : voters;
    }

    /**
     * The journal's member has a pod unless its learner is not added yet, or it is removed and its pod retiring. A learner
     * not at its DNS peer URL, none known yet or its pod's IP once recorded, is added at its pod's IP ({@link PeerUrlPlanner}):
     * its pod comes first, and stays through the add, or the learner would be added at the IP of a pod that is gone.
     */
    private static boolean runsPod(Journal j, IntFunction<String> peerUrlOf) {
        return switch (j.phase()) {
            case Starting, MemberAdded, RemoveRequested, ForceNewCluster, ClearForceFlag, SeedFromBackup -> true;
            case AddRequested -> j.operation() == Operation.ReplaceMember || !j.peerUrl().equals(peerUrlOf.apply(j.ordinal()));
            case MemberRemoved -> false;
        };
    }
}
