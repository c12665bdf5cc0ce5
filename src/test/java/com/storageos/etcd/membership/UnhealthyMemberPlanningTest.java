package com.storageos.etcd.membership;

import static com.storageos.etcd.membership.Cluster.T0;
import static com.storageos.etcd.membership.Cluster.idOf;
import static com.storageos.etcd.membership.Cluster.learner;
import static com.storageos.etcd.membership.Cluster.peerUrl;
import static com.storageos.etcd.membership.Cluster.voter;
import static com.storageos.etcd.membership.SimulatorDriver.MAX_STEPS;
import static com.storageos.etcd.membership.SimulatorDriver.acting;
import static com.storageos.etcd.membership.SimulatorDriver.grownTo;
import static com.storageos.etcd.membership.SimulatorDriver.planAndApply;
import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.status.ConditionReason;
import com.storageos.etcd.membership.Journal.Operation;
import com.storageos.etcd.membership.Journal.Phase;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Scaling beside an unhealthy member: what goes on, what waits, and when a learner is promoted. */
class UnhealthyMemberPlanningTest {
    private final MembershipPlanner planner = new MembershipPlanner();

    // ---------------------------------------------------------------- scale-down beside an unhealthy member

    @Test
    void aScaleDownProceedsWhileAnUnrelatedMemberIsUnhealthy() {
        Cluster oneDown = Cluster.of(voter(0).leader(), voter(1).unhealthy(), voter(2), voter(3), voter(4));
        assertThat(planner.next(oneDown.desiring(3))).as("5 voters, 4 healthy: removing etcd-4 leaves 3 healthy of 4, quorum 3")
                .isInstanceOfSatisfying(Step.RemoveMember.class, r -> {
                    assertThat(r.journal().memberId()).isEqualTo(idOf(4));
                    assertThat(r.journal().operation()).isEqualTo(Operation.ScaleDown);
                });
        assertThat(planner.next(Cluster.of(voter(0), voter(1).unhealthy(), voter(2), voter(3), voter(4).leader()).desiring(3)))
                .as("leadership moves to a healthy voter first")
                .isInstanceOfSatisfying(Step.MoveLeader.class, m -> assertThat(m.toId()).isIn(idOf(0), idOf(2), idOf(3)));
    }

    @Test
    void aScaleDownWithAnUnhealthyMemberConvergesInTheSimulator() {
        for (int down : new int[] {1, 3, 4}) {
            SimulatedCluster sim = grownTo(5);
            sim.hangPod(down); // it stays down: its pod never starts again
            sim.stopPod(down);
            List<Step> steps = new ArrayList<>();
            for (int i = 0; i < MAX_STEPS && !(sim.voterOrdinals().equals(Set.of(0, 1, 2)) && sim.journal().isEmpty()
                    && sim.podOrdinals().equals(Set.of(0, 1, 2)) && sim.claims().equals(Set.of(0, 1, 2))); i++) {
                steps.add(planAndApply(sim, 3));
            }
            assertThat(sim.voterOrdinals()).as("etcd-%d down: %s, steps %s", down, sim.describe(), acting(steps)).containsExactlyInAnyOrder(0, 1, 2);
            assertThat(sim.podOrdinals()).as(sim.describe()).containsExactlyInAnyOrder(0, 1, 2);
            assertThat(acting(steps)).as("etcd-%d down: the highest ordinal goes first", down)
                    .containsSubsequence("RemoveMember(4)", "RetireOrdinal(4,4)", "RemoveMember(3)", "RetireOrdinal(3,3)");
        }
    }

    @Test
    void aScaleDownThatWouldLeaveTooFewHealthyVotersWaitsAndSaysWhy() {
        Step step = planner.next(Cluster.of(voter(0).leader(), voter(1).unhealthy(), voter(2)).desiring(1));
        assertThat(step).isInstanceOfSatisfying(Step.Wait.class, w -> {
            assertThat(w.reason()).isEqualTo(ConditionReason.QuorumAtRisk);
            assertThat(w.message()).contains("etcd-2", "below quorum");
        });
        assertThat(planner.next(Cluster.of(voter(0).leader(), voter(1), voter(2).unhealthy()).desiring(1)))
                .as("the unhealthy member is the one to go: removing it costs nothing")
                .isInstanceOfSatisfying(Step.RemoveMember.class, r -> assertThat(r.journal().memberId()).isEqualTo(idOf(2)));
    }

    @Test
    void aLearnerAddWaitsForADownVoterUnlessThatVoterNeedsTheJournalToBeRepaired() {
        Journal reAdd = Journal.start(Operation.ReplaceMember, Phase.AddRequested, 1, peerUrl(1), 0, T0);
        Cluster fourLeft = Cluster.of(voter(0).leader(), voter(2), voter(3), voter(4).unhealthy()).withoutPod(1).podLostData(1);
        assertThat(planner.next(fourLeft.desiring(5, reAdd))).as("a voter that may come back by itself: wait")
                .isInstanceOfSatisfying(Step.Wait.class, w -> assertThat(w.reason()).isEqualTo(ConditionReason.MemberUnhealthy));
        assertThat(planner.next(fourLeft.podLostData(4).desiring(5, reAdd))).as("a voter that lost its data too: defer the add")
                .isEqualTo(new Step.RecordJournal(Optional.empty(), "AddDeferred"));
        assertThat(planner.next(fourLeft.pod(new PodState(4, false, false, false, true, true)).desiring(5, reAdd)))
                .as("a voter failing in place: defer the add").isEqualTo(new Step.RecordJournal(Optional.empty(), "AddDeferred"));
        Cluster allHealthy = Cluster.of(voter(0).leader(), voter(2), voter(3), voter(4)).podLostData(1);
        assertThat(planner.next(allHealthy.desiring(5, reAdd))).isEqualTo(new Step.AddLearner(reAdd));
    }

    @Test
    void aPromotionLeavesTheHealthyVotersAMajorityOfTheLargerCluster() {
        Journal added = Journal.start(Operation.ScaleUp, Phase.MemberAdded, 3, peerUrl(3), idOf(3), T0);
        Cluster oneDown = Cluster.of(voter(0).leader(), voter(1), voter(2).unhealthy(), learner(3));
        assertThat(planner.next(oneDown.desiring(4, added))).as("3 healthy of 4").isEqualTo(new Step.PromoteLearner(idOf(3), 3));
        Cluster learnerDownToo = Cluster.of(voter(0).leader(), voter(1), voter(2).unhealthy(), learner(3).unhealthy());
        assertThat(planner.next(learnerDownToo.desiring(4, added))).as("2 healthy of 4")
                .isInstanceOfSatisfying(Step.Wait.class, w -> assertThat(w.reason()).isEqualTo(ConditionReason.QuorumAtRisk));
    }

    @Test
    void aLearnerThatStoppedAnsweringIsNotPromoted() {
        Journal added = Journal.start(Operation.ReplaceMember, Phase.MemberAdded, 3, peerUrl(3), idOf(3), T0);
        Cluster learnerDown = Cluster.of(voter(0).leader(), voter(1), voter(2), learner(3).unhealthy());
        assertThat(planner.next(learnerDown.desiring(4, added))).as("3 healthy voters would become 4 with one down")
                .isInstanceOfSatisfying(Step.Wait.class, w -> assertThat(w.reason()).isEqualTo(ConditionReason.LearnerCatchingUp));
    }
}
