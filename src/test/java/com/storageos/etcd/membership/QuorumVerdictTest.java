package com.storageos.etcd.membership;

import static com.storageos.etcd.membership.Cluster.voter;
import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.status.ConditionReason;
import com.storageos.etcd.membership.QuorumVerdict.State;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Quorum is judged lost only when the members that answer name no leader and the member pods' readiness agrees; the
 * operator failing to reach members is never enough.
 */
class QuorumVerdictTest {

    @Test
    void readsThroughAMajorityProveQuorum() {
        QuorumVerdict v = QuorumVerdict.of(Cluster.of(voter(0).leader(), voter(1), voter(2).unhealthy()).observation());
        assertThat(v.state()).isEqualTo(State.HOLDS);
    }

    @Test
    void cutOffFromTwoMembersWhoseLeaderTheThirdNamesAndWhosePodsAreReadyIsUnreachableNotLost() {
        // The partition of issue 24: the operator reaches etcd-0 only; etcd-0 follows a leader, every pod is Ready.
        QuorumVerdict v = QuorumVerdict.of(Cluster.of(voter(0).leader(), voter(1).unhealthy(), voter(2).unhealthy())
                .podsReady(1, 2).observation());
        assertThat(v.state()).isEqualTo(State.UNCONFIRMED);
        assertThat(v.reason()).isEqualTo(ConditionReason.MembersUnreachable);
        assertThat(v.unreachable()).containsExactly("etcd-1", "etcd-2");
        assertThat(v.describe()).contains("cannot reach etcd-1, etcd-2").contains("etcd-0 names leader etcd-0")
                .contains("3 of 3 voter pods Ready");
    }

    @Test
    void aReachedMemberThatNamesALeaderIsEnoughToDoubtTheLoss() {
        // The pods of the unreachable members are not Ready, but etcd-0 still follows a leader: not the members' word for a loss.
        QuorumVerdict v = QuorumVerdict.of(Cluster.of(voter(0).leader(), voter(1).unhealthy(), voter(2).unhealthy()).observation());
        assertThat(v.state()).isEqualTo(State.UNCONFIRMED);
        assertThat(v.describe()).contains("etcd-0 names leader etcd-0 (term 7)").contains("1 of 3 voter pods Ready");
    }

    @Test
    void readyPodsAreEnoughToDoubtTheLossThoughTheMembersReachedNameNoLeader() {
        QuorumVerdict v = QuorumVerdict.of(Cluster.of(voter(0).withoutQuorum(40), voter(1).unhealthy(), voter(2).unhealthy())
                .podsReady(1, 2).observation());
        assertThat(v.state()).isEqualTo(State.UNCONFIRMED);
        assertThat(v.reason()).isEqualTo(ConditionReason.MembersUnreachable);
    }

    @Test
    void membersThatAllAnswerButDisagreeWithTheirPodsAreUnconfirmed() {
        // Every member answers and names no leader, but the kubelet has not failed their readiness yet.
        QuorumVerdict v = QuorumVerdict.of(Cluster.of(voter(0).withoutQuorum(40), voter(1).withoutQuorum(41), voter(2).withoutQuorum(42))
                .podsReady(0, 1).observation());
        assertThat(v.state()).isEqualTo(State.UNCONFIRMED);
        assertThat(v.reason()).isEqualTo(ConditionReason.QuorumUnconfirmed);
        assertThat(v.unreachable()).isEmpty();
    }

    @Test
    void noLeaderNamedAndTooFewReadyPodsIsLost() {
        QuorumVerdict v = QuorumVerdict.of(Cluster.of(voter(0).withoutQuorum(40), voter(1).unhealthy(), voter(2).unhealthy())
                .podsReady(1).observation());
        assertThat(v.state()).isEqualTo(State.LOST);
        assertThat(v.reason()).isEqualTo(ConditionReason.QuorumLost);
        assertThat(v.describe()).contains("etcd-0 name no leader").contains("1 of 3 voter pods Ready (quorum is 2)");
    }

    @Test
    void withoutAMemberListOnlyThePodsSpeak() {
        assertThat(QuorumVerdict.of(Cluster.of(voter(0), voter(1), voter(2)).unreachable().observation()).state()).isEqualTo(State.LOST);
        QuorumVerdict cutOff = QuorumVerdict.of(Cluster.of(voter(0), voter(1), voter(2)).unreachable().podsReady(2).observation());
        assertThat(cutOff.state()).isEqualTo(State.UNCONFIRMED);
        assertThat(cutOff.reason()).isEqualTo(ConditionReason.MembersUnreachable);
        assertThat(cutOff.unreachable()).containsExactly("member 0", "member 1", "member 2");
    }

    @Test
    void anExternalMemberThatDoesNotAnswerMayServe() {
        // During a migration: a voter the operator did not create has no pod to ask.
        ClusterObservation ours = Cluster.of(voter(0).withoutQuorum(40)).observation();
        assertThat(QuorumVerdict.of(withExternal(ours, 1)).state()).as("2 voters, quorum 2: one may serve").isEqualTo(State.LOST);
        assertThat(QuorumVerdict.of(withExternal(ours, 2)).state()).as("3 voters, quorum 2: two may serve").isEqualTo(State.UNCONFIRMED);
    }

    private static ClusterObservation withExternal(ClusterObservation obs, int silentExternals) {
        List<ObservedMember> members = new ArrayList<>(obs.members());
        for (int i = 1; i <= silentExternals; i++) {
            members.add(new ObservedMember(0xe0 + i, "old-" + i, "http://10.0.0." + i + ":2380", "http://10.0.0." + i + ":2379", -1,
                    false, false, false, "", 0, 0, 0, 0, 0, 0));
        }
        return new ClusterObservation(true, members, obs.pods(), obs.statefulSetReplicas(), obs.claimOrdinals(), obs.alarms(), 0, obs.now(), "", Optional.empty());
    }
}
