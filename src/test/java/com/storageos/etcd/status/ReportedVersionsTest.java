package com.storageos.etcd.status;

import static com.storageos.etcd.membership.Cluster.voter;
import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.status.EtcdClusterStatus;
import com.storageos.etcd.membership.Cluster;
import com.storageos.etcd.membership.ClusterObservation;
import com.storageos.etcd.membership.ObservedMember;
import com.storageos.etcd.membership.Step;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The versions in the status, as {@link StatusComputer} writes them from what the members report. */
class ReportedVersionsTest {
    private final StatusComputer computer = new StatusComputer(new Conditions(Clock.fixed(Cluster.T0, ZoneOffset.UTC)));

    private void apply(EtcdClusterStatus status, ClusterObservation obs) {
        computer.apply(new StatusInput("etcd", 3, 1, obs, new Step.Converged(), null, null, "sel"), status);
    }

    /** Three healthy members with these server versions ("" for a member that did not answer its status call) and this cluster version. */
    private static ClusterObservation running(String clusterVersion, String... versions) {
        ClusterObservation c = Cluster.of(voter(0).leader(), voter(1), voter(2)).observation();
        List<ObservedMember> members = new ArrayList<>();
        for (int i = 0; i < versions.length; i++) {
            ObservedMember m = c.members().get(i);
            members.add(new ObservedMember(m.id(), m.name(), m.peerUrl(), m.clientUrl(), m.ordinal(), m.learner(), !versions[i].isEmpty(),
                    m.leader(), versions[i], m.dbSize(), m.dbSizeInUse(), m.raftIndex(), m.revision(), m.reportedLeader(), m.raftTerm()));
        }
        return new ClusterObservation(true, members, c.pods(), c.statefulSetReplicas(), c.claimOrdinals(), c.alarms(), c.clusterId(), c.now(),
                clusterVersion, Optional.empty());
    }

    @Test
    void theVersionsAreEtcdsOwnTheLowestMemberComparedByNumberAndTheClusterVersionAsReported() {
        EtcdClusterStatus s = new EtcdClusterStatus();
        apply(s, running("3.4.0", "3.5.10", "3.5.9", "3.4.23"));
        assertThat(s.getCurrentVersion()).isEqualTo("3.4.23");
        assertThat(s.getClusterVersion()).isEqualTo("3.4.0");
        apply(s, running("3.5.0", "3.5.10", "3.5.9", "3.5.10"));
        assertThat(s.getCurrentVersion()).as("3.5.9 is below 3.5.10, though not as text").isEqualTo("3.5.9");
        assertThat(s.getClusterVersion()).isEqualTo("3.5.0");
        apply(s, running("", "3.5.10", "3.5.10", "3.5.10"));
        assertThat(s.getCurrentVersion()).isEqualTo("3.5.10");
        assertThat(s.getClusterVersion()).as("kept while no member says").isEqualTo("3.5.0");
    }

    @Test
    void theLowestMemberVersionRisesOnlyOnceEveryMemberSaysSoButFallsAtOnce() {
        EtcdClusterStatus s = new EtcdClusterStatus();
        apply(s, running("3.5.0", "3.5.17", "3.5.17", "3.5.17"));
        apply(s, running("3.5.0", "3.5.30", "3.5.30", ""));
        assertThat(s.getCurrentVersion()).as("the silent member may still run 3.5.17").isEqualTo("3.5.17");
        apply(s, running("3.5.0", "3.5.30", "3.5.30", "3.5.30"));
        assertThat(s.getCurrentVersion()).isEqualTo("3.5.30");
        apply(s, running("3.5.0", "3.5.30", "", "3.5.26"));
        assertThat(s.getCurrentVersion()).isEqualTo("3.5.26");
    }
}
