package com.storageos.etcd.membership;

import static com.storageos.etcd.membership.Cluster.idOf;
import static com.storageos.etcd.membership.Cluster.voter;
import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.status.ConditionReason;
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
        assertThat(RestartOrder.next(cluster.observation())).hasValueSatisfying(s ->
                assertThat(s).isInstanceOfSatisfying(Step.Wait.class, w -> assertThat(w.reason()).isEqualTo(ConditionReason.RollingUpdate)));
    }

    @Test
    void theNextPodWaitsUntilTheRestartedPodIsReadyNotOnlyHealthyInEtcd() {
        // etcd calls etcd-2 healthy seconds before its readiness probe passes; the PDB and the Service count readiness.
        Cluster cluster = Cluster.of(voter(0).leader(), voter(1), voter(2)).pod(stale(0)).pod(stale(1))
                .pod(new PodState(2, false, false, false, true, false));
        assertThat(RestartOrder.next(cluster.observation())).hasValueSatisfying(s ->
                assertThat(s).isInstanceOfSatisfying(Step.Wait.class, w -> {
                    assertThat(w.reason()).isEqualTo(ConditionReason.RollingUpdate);
                    assertThat(w.message()).contains("etcd-2 to be Ready", "before restarting etcd-1", "1 of 3 members on the new template");
                }));
        Cluster ready = Cluster.of(voter(0).leader(), voter(1), voter(2)).pod(stale(0)).pod(stale(1));
        assertThat(RestartOrder.next(ready.observation())).hasValueSatisfying(s ->
                assertThat(s).isInstanceOfSatisfying(Step.RestartPod.class, r -> {
                    assertThat(r.ordinal()).isEqualTo(1);
                    assertThat(r.reason()).contains("1 of 3 members on the new template");
                }));
    }

    @Test
    void theRolloutWaitsForAnUnhealthyVoterBeforeTheNextRestart() {
        Cluster cluster = Cluster.of(voter(0).leader(), voter(1), voter(2).unhealthy()).pod(stale(0)).pod(stale(1));
        Step step = new MembershipPlanner().next(cluster.desiring(3));
        assertThat(step).isInstanceOfSatisfying(Step.Wait.class, w -> assertThat(w.reason()).isEqualTo(ConditionReason.MemberUnhealthy));
    }

    @Test
    void aPodBrokenByTheRolloutIsRestartedOntoTheFixedTemplateWhileItsMemberIsDown() {
        // etcd-2 crash-loops on the broken template; the spec was fixed, so every pod now runs an old one.
        Cluster broken = Cluster.of(voter(0).leader(), voter(1), voter(2).unhealthy()).pod(stale(0)).pod(stale(1)).pod(staleUnready(2));
        assertThat(new MembershipPlanner().next(broken.desiring(3))).isInstanceOfSatisfying(Step.RestartPod.class, r -> {
            assertThat(r.ordinal()).isEqualTo(2);
            assertThat(r.reason()).contains("down", "old template");
        });
        // Before the fix its pod runs the current (broken) template: restarting it would change nothing, and no other pod goes.
        Cluster beforeFix = Cluster.of(voter(0).leader(), voter(1), voter(2).unhealthy()).pod(stale(0)).pod(stale(1))
                .pod(new PodState(2, false, false, false, true, false));
        assertThat(new MembershipPlanner().next(beforeFix.desiring(3))).isInstanceOf(Step.Wait.class);
    }

    @Test
    void aDownMemberRestartsOnlyWhileQuorumHoldsWithoutItAndOneAtATime() {
        Cluster twoDown = Cluster.of(voter(0).leader(), voter(1).unhealthy(), voter(2).unhealthy()).pod(staleUnready(1)).pod(staleUnready(2));
        assertThat(RestartOrder.repairDown(twoDown.observation())).isEmpty();
        Cluster twoOfFiveDown = Cluster.of(voter(0).leader(), voter(1), voter(2), voter(3).unhealthy(), voter(4).unhealthy())
                .pod(staleUnready(3)).pod(staleUnready(4));
        assertThat(RestartOrder.repairDown(twoOfFiveDown.observation())).hasValueSatisfying(s ->
                assertThat(s).isInstanceOf(Step.RestartPod.class));
        assertThat(RestartOrder.repairDown(twoOfFiveDown.pod(new PodState(4, false, true, false, false, false)).observation()))
                .as("the other one is still terminating").isEmpty();
    }

    @Test
    void aDownMemberWhosePodIsStillReadyWaitsForTheEveryVoterHealthyRule() {
        Cluster cluster = Cluster.of(voter(0).leader(), voter(1), voter(2).unhealthy()).pod(stale(0)).pod(stale(1)).pod(stale(2));
        assertThat(RestartOrder.repairDown(cluster.observation())).isEmpty();
    }
}
