package com.storageos.etcd.desired;

import static com.storageos.etcd.membership.Cluster.learner;
import static com.storageos.etcd.membership.Cluster.voter;
import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.membership.Cluster;
import com.storageos.etcd.membership.ObservedMember;
import java.util.List;
import org.junit.jupiter.api.Test;

class VoterGateTest {

    @Test
    void onlyAStartedVoterOpensItsPodsGate() {
        List<ObservedMember> members = Cluster.of(voter(0).leader(), voter(1).notStarted(), learner(2)).observation().members();

        assertThat(VoterGate.forOrdinal(members, 0)).satisfies(v -> {
            assertThat(v.open()).isTrue();
            assertThat(v.reason()).isEqualTo("Voter");
        });
        assertThat(VoterGate.forOrdinal(members, 1)).satisfies(v -> {
            assertThat(v.open()).isFalse();
            assertThat(v.reason()).isEqualTo("VoterNotStarted");
        });
        assertThat(VoterGate.forOrdinal(members, 2)).satisfies(v -> {
            assertThat(v.open()).isFalse();
            assertThat(v.reason()).isEqualTo("Learner");
            assertThat(v.message()).contains("learner", "promoted");
        });
        assertThat(VoterGate.forOrdinal(members, 3)).as("a pod without a member").satisfies(v -> {
            assertThat(v.open()).isFalse();
            assertThat(v.reason()).isEqualTo("NotMember");
        });
    }

    @Test
    void everyMemberPodCarriesTheGate() {
        var pod = MemberStatefulSet.build(MemberStatefulSetBuilderTest.cluster(), 3, MemberStatefulSetBuilderTest.SETTINGS, null)
                .getSpec().getTemplate().getSpec();
        assertThat(pod.getReadinessGates()).extracting(g -> g.getConditionType()).containsExactly(VoterGate.CONDITION);
    }
}
