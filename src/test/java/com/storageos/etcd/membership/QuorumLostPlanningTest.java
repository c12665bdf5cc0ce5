package com.storageos.etcd.membership;

import static com.storageos.etcd.membership.Cluster.T0;
import static com.storageos.etcd.membership.Cluster.idOf;
import static com.storageos.etcd.membership.Cluster.learner;
import static com.storageos.etcd.membership.Cluster.peerUrl;
import static com.storageos.etcd.membership.Cluster.voter;
import static com.storageos.etcd.membership.SimulatorDriver.grownTo;
import static com.storageos.etcd.membership.SimulatorDriver.planAndApply;
import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.status.ConditionReason;
import com.storageos.etcd.membership.Journal.Operation;
import com.storageos.etcd.membership.Journal.Phase;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Without quorum, or cut off from a majority, or with pods gone: the planner only waits or blocks. */
class QuorumLostPlanningTest {
    private final MembershipPlanner planner = new MembershipPlanner();

    // ---------------------------------------------------------------- quorum lost

    static Stream<Arguments> quorumLostCases() {
        Cluster twoOfThreeDown = Cluster.of(voter(0), voter(1).unhealthy(), voter(2).unhealthy()).podLostData(2);
        Cluster unreachable = Cluster.of(voter(0), voter(1), voter(2)).unreachable();
        Journal addRequested = Journal.start(Operation.ScaleUp, Phase.AddRequested, 3, peerUrl(3), 0, T0);
        Journal removeRequested = Journal.start(Operation.ScaleDown, Phase.RemoveRequested, 2, peerUrl(2), idOf(2), T0);
        Journal replaceRequested = Journal.start(Operation.ReplaceMember, Phase.RemoveRequested, 2, peerUrl(2), idOf(2), T0);
        Journal learnerAdded = Journal.start(Operation.ScaleUp, Phase.MemberAdded, 3, peerUrl(3), idOf(3), T0);
        Cluster withStuckLearner = Cluster.of(voter(0), voter(1).unhealthy(), voter(2).unhealthy(), learner(3).notStarted())
                .at(T0.plus(Cluster.LEARNER_DEADLINE.multipliedBy(10)));
        return Stream.of(
                Arguments.of("2 of 3 down", twoOfThreeDown.desiring(3)),
                Arguments.of("2 of 3 down, scale down asked", twoOfThreeDown.desiring(1)),
                Arguments.of("2 of 3 down, scale up asked", twoOfThreeDown.desiring(5)),
                Arguments.of("2 of 3 down, add requested", twoOfThreeDown.desiring(5, addRequested)),
                Arguments.of("2 of 3 down, remove requested", twoOfThreeDown.desiring(1, removeRequested)),
                Arguments.of("2 of 3 down, replace requested", twoOfThreeDown.desiring(3, replaceRequested)),
                Arguments.of("2 of 3 down, learner stuck past deadline", withStuckLearner.desiring(5, learnerAdded)),
                Arguments.of("unreachable", unreachable.desiring(3)),
                Arguments.of("unreachable, add requested", unreachable.desiring(5, addRequested)),
                Arguments.of("unreachable, remove requested", unreachable.desiring(1, removeRequested)),
                Arguments.of("unreachable, learner added", unreachable.desiring(5, learnerAdded)));
    }

    /** The operator is cut off from etcd-1 and etcd-2, which etcd-0 (the leader) and the pods' readiness say still serve. */
    static Stream<Arguments> operatorCutOffCases() {
        Cluster cutOff = Cluster.of(voter(0).leader(), voter(1).unhealthy(), voter(2).unhealthy()).podsReady(1, 2);
        Cluster cutOffFromAll = Cluster.of(voter(0), voter(1), voter(2)).unreachable().podsReady(0, 1, 2);
        Journal addRequested = Journal.start(Operation.ScaleUp, Phase.AddRequested, 3, peerUrl(3), 0, T0);
        Journal removeRequested = Journal.start(Operation.ScaleDown, Phase.RemoveRequested, 2, peerUrl(2), idOf(2), T0);
        return Stream.of(
                Arguments.of("cut off from 2 of 3", cutOff.desiring(3)),
                Arguments.of("cut off from 2 of 3, scale down asked", cutOff.desiring(1)),
                Arguments.of("cut off from 2 of 3, add requested", cutOff.desiring(5, addRequested)),
                Arguments.of("cut off from 2 of 3, remove requested", cutOff.desiring(1, removeRequested)),
                Arguments.of("cut off from all", cutOffFromAll.desiring(3)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operatorCutOffCases")
    void anOperatorCutOffFromAMajorityChangesNothingAndNeverCallsItQuorumLost(String name, PlanInput in) {
        Step step = planner.next(in);
        MembershipInvariants.check(in, step);
        assertThat(step).isInstanceOfSatisfying(Step.Blocked.class, b -> {
            assertThat(b.reason()).isEqualTo(ConditionReason.MembersUnreachable);
            assertThat(b.message()).contains("cannot reach");
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("quorumLostCases")
    void invariant_quorumLostNeverActsDestructively(String name, PlanInput in) {
        Step step = planner.next(in);
        MembershipInvariants.check(in, step);
        assertThat(step).isInstanceOfAny(Step.Blocked.class, Step.Wait.class);
    }

    @Test
    void quorumLostIsBlockedNeverBootstrappedAgain() {
        // What a person can do is the Available condition's part (StatusComputerTest): it needs the newest backup too.
        Step step = planner.next(Cluster.of(voter(0)).unreachable().desiring(1));
        assertThat(step).isInstanceOfSatisfying(Step.Blocked.class, b -> {
            assertThat(b.reason()).isEqualTo(ConditionReason.QuorumLost);
            assertThat(b.message()).contains("will not bootstrap a formed cluster again");
        });
    }

    // ---------------------------------------------------------------- pods that vanish

    @Test
    void invariant_aPodThatVanishesNeverShrinksTheCluster() {
        Cluster podGone = Cluster.of(voter(0).leader(), voter(1), voter(2).unhealthy()).withoutPod(2);
        for (Duration later : List.of(Duration.ZERO, Duration.ofMinutes(10), Duration.ofDays(2))) {
            Step step = planner.next(podGone.at(T0.plus(later)).desiring(3));
            assertThat(step).as("after " + later).isInstanceOf(Step.Wait.class);
        }
        assertThat(planner.next(podGone.statefulSetReplicas(2).desiring(3)))
                .as("the StatefulSet was lowered under a member: StartMember restores it")
                .isEqualTo(new Step.StartMember(2, 3));
    }

    @Test
    void aStoppedPodInASimulatedClusterNeverLeadsToARemoval() {
        SimulatedCluster sim = grownTo(3);
        sim.stopPod(2);
        for (int i = 0; i < 50; i++) {
            Step step = planAndApply(sim, 3);
            assertThat(step).isNotInstanceOfAny(Step.RemoveMember.class, Step.RetireOrdinal.class, Step.AddLearner.class);
        }
        assertThat(sim.voterOrdinals()).containsExactlyInAnyOrder(0, 1, 2);
        assertThat(sim.statefulSetReplicas()).isEqualTo(3);
    }
}
