package com.storageos.etcd.membership;

import static com.storageos.etcd.membership.Cluster.voter;
import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.membership.PodDisruption.Via;
import org.junit.jupiter.api.Test;

class PodDisruptionTest {
    private static final Step.RestartPod ROLLOUT = new Step.RestartPod(2, "rolling out the new template, followers first");

    @Test
    void aRestartOfThreeOrMoreVotersIsAnEvictionOfThePodSeen() {
        ClusterObservation obs = Cluster.of(voter(0).leader(), voter(1), voter(2))
                .pod(new PodState(2, true, false, false, false, false).withUid("uid-2")).observation();
        assertThat(PodDisruption.of(ROLLOUT, obs)).isEqualTo(new PodDisruption(Via.Eviction, "uid-2"));
        assertThat(PodDisruption.of(new Step.RestartPod(2, MembershipPlanner.FAILING_IN_PLACE), obs).via())
                .as("a member failing in place: the budget lets an unready pod go while the others keep quorum").isEqualTo(Via.Eviction);
    }

    @Test
    void aRecoveryDeletesItsPodsTheBudgetWouldRefuseForeverWithQuorumLost() {
        ClusterObservation obs = Cluster.of(voter(0).leader(), voter(1).unhealthy(), voter(2).unhealthy()).observation();
        assertThat(PodDisruption.of(new Step.RestartPod(2, SurvivorRecovery.RESTART_FORCED), obs).via()).isEqualTo(Via.Delete);
        assertThat(PodDisruption.of(new Step.RestartPod(0, BackupRecovery.RESTART_SEED), obs).via()).isEqualTo(Via.Delete);
    }

    @Test
    void fewerThanThreeVotersHaveABudgetThatAllowsNoDisruptionSoTheirRestartIsADelete() {
        assertThat(PodDisruption.of(new Step.RestartPod(0, "the only member runs an old template"), Cluster.of(voter(0).leader()).observation()).via())
                .isEqualTo(Via.Delete);
        assertThat(PodDisruption.of(ROLLOUT, Cluster.of(voter(0).leader(), voter(1)).observation()).via()).isEqualTo(Via.Delete);
    }

    @Test
    void noPodSeenMeansNoPrecondition() {
        ClusterObservation obs = Cluster.of(voter(0).leader(), voter(1), voter(2)).withoutPod(2).observation();
        assertThat(PodDisruption.of(ROLLOUT, obs).podUid()).isEmpty();
    }
}
