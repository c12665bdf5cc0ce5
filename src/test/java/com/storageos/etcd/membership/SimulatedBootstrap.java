package com.storageos.etcd.membership;

import com.storageos.etcd.membership.Journal.Phase;
import com.storageos.etcd.tool.bootstrap.BootstrapDecision;
import com.storageos.etcd.tool.bootstrap.BootstrapPlanner;
import com.storageos.etcd.tool.bootstrap.MemberView;
import com.storageos.etcd.toolcontract.BootstrapReport;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The member volumes of a {@link SimulatedCluster} and what a member pod's bootstrap init container (the real
 * {@link BootstrapPlanner}) does on them when the pod starts: from its volume, etcd's member list and the journal, its etcd
 * forms the cluster, joins, restarts, or the pod refuses.
 */
final class SimulatedBootstrap {
    /** Volume ordinal to the marker the bootstrap tool wrote beside the data; absent means empty. */
    private final Map<Integer, String> data = new HashMap<>();

    static final class SimPod {
        boolean running;
        boolean reportedDataLoss;
        /** Its volume was emptied under it: etcd finds no config and the kubelet restarts it in place, forever. */
        boolean crashLooping;
    }

    /** The volume of this ordinal loses its data. */
    void empty(int ordinal) {
        data.remove(ordinal);
    }

    /** The pod of this ordinal starts: its bootstrap decides, and its etcd starts or the pod reports a refusal. */
    void start(int ordinal, SimPod pod, SimulatedMembers members, Optional<Journal> journal, boolean clusterFormed) {
        BootstrapDecision decision = new BootstrapPlanner().decide(viewOf(ordinal, members, journal, clusterFormed));
        if (decision instanceof BootstrapDecision.NewCluster) {
            members.add(ordinal, false).started = true;
            data.put(ordinal, BootstrapPlanner.BOOTSTRAP_MARKER);
            pod.running = true;
        } else if (decision instanceof BootstrapDecision.Join j) {
            data.put(ordinal, j.memberIdHex());
            members.get(Long.parseUnsignedLong(j.memberIdHex(), 16)).started = true;
            pod.running = true;
        } else if (decision instanceof BootstrapDecision.Restart) {
            pod.running = true;
        } else if (decision instanceof BootstrapDecision.Refuse r) {
            pod.reportedDataLoss = BootstrapReport.isDataLoss(r.terminationMessage());
        }
    }

    private MemberView viewOf(int ordinal, SimulatedMembers members, Optional<Journal> journal, boolean clusterFormed) {
        Set<String> started = members.startedNames();
        Optional<MemberView.JournalEntry> entry = journal.map(j -> new MemberView.JournalEntry(j.operation().name(), j.phase().name(),
                j.ordinal(), j.memberId() == 0 ? null : Long.toHexString(j.memberId()),
                // The executor writes etcd's initial-cluster along with MemberAdded; its exact value does not matter here.
                j.phase() == Phase.MemberAdded ? "etcd-0=" + Cluster.peerUrl(0) : null, j.retainedOrdinals()));
        return new MemberView("etcd-" + ordinal, ordinal, data.containsKey(ordinal), Optional.ofNullable(data.get(ordinal)),
                clusterFormed, started, entry, false);
    }
}
