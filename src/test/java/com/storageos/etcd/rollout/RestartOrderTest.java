package com.storageos.etcd.rollout;

import static com.storageos.etcd.membership.Cluster.idOf;
import static com.storageos.etcd.membership.Cluster.voter;
import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.membership.Cluster;
import com.storageos.etcd.membership.PodState;
import com.storageos.etcd.membership.Step;
import org.junit.jupiter.api.Test;

class RestartOrderTest {

    private static PodState stale(int ordinal) {
        return new PodState(ordinal, true, false, false, false, false);
    }

    private static PodState staleUnready(int ordinal) {
        return new PodState(ordinal, false, false, false, false, false);
    }

    @Test
    void nothingToRestartWhenEveryPodRunsTheCurrentTemplate() {
        assertThat(RestartOrder.next(Cluster.of(voter(0).leader(), voter(1), voter(2)).observation())).isEmpty();
    }

    @Test
    void anUnreadyPodRestartsFirst() {
        Cluster cluster = Cluster.of(voter(0).leader(), voter(1), voter(2)).pod(stale(2)).pod(staleUnready(0)).pod(stale(1));
        assertThat(RestartOrder.next(cluster.observation())).hasValueSatisfying(s ->
                assertThat(s).isInstanceOfSatisfying(Step.RestartPod.class, r -> assertThat(r.ordinal()).isZero()));
    }

    @Test
    void followersRestartFromTheHighestOrdinal() {
        Cluster cluster = Cluster.of(voter(0), voter(1), voter(2).leader(), voter(3), voter(4))
                .pod(stale(0)).pod(stale(1)).pod(stale(2)).pod(stale(3));
        assertThat(RestartOrder.next(cluster.observation())).hasValueSatisfying(s ->
                assertThat(s).isInstanceOfSatisfying(Step.RestartPod.class, r -> assertThat(r.ordinal()).isEqualTo(3)));
    }

    @Test
    void theLeaderGoesLastAfterLeadershipMovedToAHealthyVoter() {
        Cluster cluster = Cluster.of(voter(0), voter(1).leader(), voter(2)).pod(stale(1));
        assertThat(RestartOrder.next(cluster.observation())).hasValueSatisfying(s ->
                assertThat(s).isInstanceOfSatisfying(Step.MoveLeader.class, m -> {
                    assertThat(m.fromId()).isEqualTo(idOf(1));
                    assertThat(m.toId()).isIn(idOf(0), idOf(2));
                }));
    }

    @Test
    void aSingleMemberRestartsInPlace() {
        Cluster cluster = Cluster.of(voter(0).leader()).pod(stale(0));
        assertThat(RestartOrder.next(cluster.observation())).contains(new Step.RestartPod(0, "the only member runs an old template"));
    }

    @Test
    void oneAtATime_nothingRestartsWhileAPodIsTerminating() {
        Cluster cluster = Cluster.of(voter(0).leader(), voter(1), voter(2))
                .pod(stale(0)).pod(stale(1)).pod(new PodState(2, false, true, false, false, false));
        assertThat(RestartOrder.next(cluster.observation())).isEmpty();
    }

    @Test
    void theRolloutWaitsForAnUnhealthyVoterBeforeTheNextRestart() {
        // The planner consults RestartOrder only after its every-voter-healthy guard.
        Cluster cluster = Cluster.of(voter(0).leader(), voter(1), voter(2).unhealthy()).pod(stale(0)).pod(stale(1));
        Step step = new com.storageos.etcd.membership.MembershipPlanner().next(cluster.desiring(3));
        assertThat(step).isInstanceOf(Step.Wait.class);
    }
}
