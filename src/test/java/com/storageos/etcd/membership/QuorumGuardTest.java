package com.storageos.etcd.membership;

import static com.storageos.etcd.membership.Cluster.learner;
import static com.storageos.etcd.membership.Cluster.voter;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class QuorumGuardTest {

    @ParameterizedTest(name = "{0} voters: quorum {1}, tolerate {2}")
    @CsvSource({"1,1,0", "2,2,0", "3,2,1", "4,3,1", "5,3,2", "6,4,2", "7,4,3", "8,5,3", "9,5,4"})
    void quorumMathFor1To9Voters(int voters, int quorum, int tolerated) {
        assertThat(QuorumMath.quorum(voters)).isEqualTo(quorum);
        assertThat(QuorumMath.faultTolerance(voters)).isEqualTo(tolerated);
    }

    static Stream<Arguments> votersAndUnhealthy() {
        List<Arguments> cases = new ArrayList<>();
        for (int voters = 1; voters <= 9; voters++) {
            for (int unhealthy = 0; unhealthy < voters; unhealthy++) {
                cases.add(Arguments.of(voters, unhealthy));
            }
        }
        return cases.stream();
    }

    /** Removing a healthy voter is safe iff the healthy voters left are a strict majority of the voters left. */
    @ParameterizedTest(name = "{0} voters, {1} unhealthy")
    @MethodSource("votersAndUnhealthy")
    void removingAHealthyVoterKeepsAMajorityOfTheSmallerCluster(int voters, int unhealthy) {
        ClusterObservation obs = cluster(voters, unhealthy);
        ObservedMember healthyOne = obs.members().get(0);
        int remaining = voters - 1;
        int healthyLeft = voters - unhealthy - 1;
        boolean safe = remaining >= 1 && 2 * healthyLeft > remaining;
        assertThat(QuorumGuard.canRemove(obs, healthyOne).isEmpty()).isEqualTo(safe);
    }

    @ParameterizedTest(name = "{0} voters, {1} unhealthy")
    @MethodSource("votersAndUnhealthy")
    void removingAnUnhealthyVoterKeepsAMajorityOfTheSmallerCluster(int voters, int unhealthy) {
        if (unhealthy == 0) {
            return;
        }
        ClusterObservation obs = cluster(voters, unhealthy);
        ObservedMember sick = obs.members().get(voters - 1);
        int remaining = voters - 1;
        int healthyLeft = voters - unhealthy;
        assertThat(QuorumGuard.canRemove(obs, sick).isEmpty()).isEqualTo(remaining >= 1 && 2 * healthyLeft > remaining);
    }

    @Test
    void theLastVoterIsNeverRemoved() {
        ClusterObservation one = Cluster.of(voter(0).leader()).observation();
        assertThat(QuorumGuard.canRemove(one, one.members().get(0))).hasValueSatisfying(why -> assertThat(why).contains("below quorum"));
    }

    @Test
    void aLearnerCanAlwaysBeRemoved() {
        ClusterObservation obs = Cluster.of(voter(0).leader(), voter(1).unhealthy(), voter(2).unhealthy(), learner(3)).observation();
        assertThat(QuorumGuard.canRemove(obs, obs.memberAt(3).orElseThrow())).isEmpty();
    }

    @Test
    void aChangeStartsOnlyWhenEveryVoterIsHealthy() {
        assertThat(QuorumGuard.canStartChange(Cluster.of(voter(0).leader(), voter(1), voter(2)).observation())).isEmpty();
        assertThat(QuorumGuard.canStartChange(Cluster.of(voter(0).leader(), voter(1), voter(2).unhealthy()).observation()))
                .hasValueSatisfying(why -> assertThat(why).contains("etcd-2"));
        assertThat(QuorumGuard.canStartChange(Cluster.of(voter(0).leader(), learner(1).unhealthy()).observation()))
                .as("a learner is not a voter").isEmpty();
    }

    @Test
    void aLearnerIsAddedOnlyWhileEveryVoterIsHealthyAsEtcdsStrictReconfigurationCheckRequires() {
        assertThat(QuorumGuard.canAddLearner(Cluster.of(voter(0).leader(), voter(1), voter(2)).observation())).isEmpty();
        assertThat(QuorumGuard.canAddLearner(Cluster.of(voter(0).leader(), voter(1), voter(2), voter(3).unhealthy()).observation()))
                .hasValueSatisfying(why -> assertThat(why).contains("etcd-3", "every voter is connected"));
    }

    /** Promoting is safe iff the healthy voters, the learner counted when healthy, are a strict majority of one more voter. */
    @ParameterizedTest(name = "{0} voters, {1} unhealthy")
    @MethodSource("votersAndUnhealthy")
    void promotingKeepsAMajorityOfTheLargerCluster(int voters, int unhealthy) {
        for (boolean learnerHealthy : new boolean[] {true, false}) {
            Cluster.Member[] members = new Cluster.Member[voters + 1];
            for (int i = 0; i < voters; i++) {
                members[i] = i >= voters - unhealthy ? voter(i).unhealthy() : voter(i);
            }
            members[voters] = learnerHealthy ? learner(voters) : learner(voters).unhealthy();
            ClusterObservation obs = Cluster.of(members).observation();
            long healthy = voters - unhealthy + (learnerHealthy ? 1 : 0);
            assertThat(QuorumGuard.canPromote(obs, obs.memberAt(voters).orElseThrow()).isEmpty())
                    .as("learner healthy: %s", learnerHealthy).isEqualTo(2 * healthy > voters + 1);
        }
    }

    @Test
    void hasQuorumNeedsAReachableClusterAndAMajorityOfHealthyVoters() {
        assertThat(Cluster.of(voter(0), voter(1), voter(2).unhealthy()).observation().hasQuorum()).isTrue();
        assertThat(Cluster.of(voter(0), voter(1).unhealthy(), voter(2).unhealthy()).observation().hasQuorum()).isFalse();
        assertThat(Cluster.of(voter(0), voter(1), voter(2)).unreachable().observation().hasQuorum()).isFalse();
    }

    private static ClusterObservation cluster(int voters, int unhealthy) {
        Cluster.Member[] members = new Cluster.Member[voters];
        for (int i = 0; i < voters; i++) {
            members[i] = i >= voters - unhealthy ? voter(i).unhealthy() : voter(i);
        }
        return Cluster.of(members).observation();
    }
}
