package com.storageos.etcd.membership;

import static com.storageos.etcd.membership.Cluster.T0;
import static com.storageos.etcd.membership.Cluster.voter;
import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.membership.Journal.Operation;
import com.storageos.etcd.membership.Journal.Phase;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RecordedMembershipTest {
    private static final RecordedMembership THREE = new RecordedMembership(Set.of(0, 1, 2), 3);

    @Test
    void onePodPerOrdinalUpToTheHighestRecordedMember() {
        assertThat(THREE.podCount(Optional.empty(), Cluster::peerUrl)).isEqualTo(3);
        assertThat(new RecordedMembership(Set.of(0, 2), 2).podCount(Optional.empty(), Cluster::peerUrl)).as("a gap keeps the pod above it").isEqualTo(3);
        assertThat(new RecordedMembership(Set.of(), 0).podCount(Optional.empty(), Cluster::peerUrl)).isZero();
    }

    @ParameterizedTest(name = "{0} {1} of ordinal 3: {2} pods")
    @CsvSource({
            "Bootstrap, Starting, 4",
            "ScaleUp, AddRequested, 3",
            "ScaleUp, MemberAdded, 4",
            "ReplaceMember, RemoveRequested, 4",
            "ReplaceMember, AddRequested, 4",
            "ScaleDown, RemoveRequested, 4",
            "ScaleDown, MemberRemoved, 3"})
    void anOpenJournalKeepsThePodOfTheMemberItStartsOrReplaces(Operation operation, Phase phase, int pods) {
        Journal journal = Journal.start(operation, phase, 3, Cluster.peerUrl(3), 0, T0);
        assertThat(THREE.podCount(Optional.of(journal), Cluster::peerUrl)).isEqualTo(pods);
    }

    @Test
    void aLearnerAddedAtItsPodIpKeepsItsPodFromTheJournalsStartThroughTheAdd() {
        Journal opened = Journal.start(Operation.ScaleUp, Phase.AddRequested, 3, "", 0, T0);
        assertThat(THREE.podCount(Optional.of(opened), Cluster::peerUrl)).as("no URL yet: the pod starts first").isEqualTo(4);
        assertThat(THREE.podCount(Optional.of(opened.withPeerUrl("http://10.0.0.9:2380")), Cluster::peerUrl))
                .as("its pod's IP recorded, the add still to come").isEqualTo(4);
    }

    @Test
    void theBudgetKeepsTheRecordedVotersWhileEtcdCannotBeRead() {
        Cluster observed = Cluster.of(voter(0).leader(), voter(1), voter(2), voter(3), voter(4));
        assertThat(THREE.voters(observed.observation())).as("etcd answered").isEqualTo(5);
        assertThat(THREE.voters(observed.unreachable().observation())).as("etcd unreachable").isEqualTo(3);
    }
}
