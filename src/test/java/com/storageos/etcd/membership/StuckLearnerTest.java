package com.storageos.etcd.membership;

import static com.storageos.etcd.membership.Cluster.LEARNER_DEADLINE;
import static com.storageos.etcd.membership.Cluster.T0;
import static com.storageos.etcd.membership.Cluster.idOf;
import static com.storageos.etcd.membership.Cluster.learner;
import static com.storageos.etcd.membership.Cluster.peerUrl;
import static com.storageos.etcd.membership.Cluster.voter;
import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.status.ConditionReason;
import com.storageos.etcd.membership.Journal.Operation;
import com.storageos.etcd.membership.Journal.Phase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * A learner that does not catch up never pins the cluster: every learner (a scale-up's or a replacement's, started or
 * not) has the learner deadline, catch-up is judged by its raft index against the leader's, and past the deadline it is
 * removed with a reason and added again later. A lost voter's repair pre-empts a stuck learner at once.
 */
class StuckLearnerTest {
    private final MembershipPlanner planner = new MembershipPlanner();

    private static Journal added(Operation operation, int ordinal) {
        return Journal.start(operation, Phase.MemberAdded, ordinal, peerUrl(ordinal), idOf(ordinal), T0);
    }

    /** Started and answering, at raft index 10 while the leader is at 100: far below etcd's 90% bar. */
    private static Cluster.Member behind(int ordinal) {
        return new Cluster.Member(idOf(ordinal), ordinal, true, true, true, false, 10, 0);
    }

    private static Predicate<Step> stuckLearnerRemoval(int ordinal) {
        return s -> s instanceof Step.RemoveMember r && r.journal().ordinal() == ordinal
                && r.because().filter(b -> b.condition() == ConditionReason.RemovingStuckLearner).isPresent();
    }

    @Test
    void aLearnerBehindTheLeaderIsWaitedForNotAskedToPromoteOverAndOver() {
        Cluster cluster = Cluster.of(voter(0).leader(), voter(1), voter(2), behind(3));
        assertThat(planner.next(cluster.at(T0.plusSeconds(30)).desiring(4, added(Operation.ScaleUp, 3))))
                .isInstanceOfSatisfying(Step.Wait.class, w -> {
                    assertThat(w.reason()).isEqualTo(ConditionReason.LearnerCatchingUp);
                    assertThat(w.message()).contains("raft index 10 of 100 (10%)").contains(T0.plus(LEARNER_DEADLINE).toString());
                });
        assertThat(planner.next(Cluster.of(voter(0).leader(), voter(1), voter(2), learner(3)).desiring(4, added(Operation.ScaleUp, 3))))
                .isEqualTo(new Step.PromoteLearner(idOf(3), 3));
    }

    @Test
    void aStartedLearnerStillBehindAtTheDeadlineIsRemovedWithWhyForAReplacementAsForAScaleUp() {
        Cluster cluster = Cluster.of(voter(0).leader(), voter(1), voter(2), behind(3));
        for (Operation operation : List.of(Operation.ScaleUp, Operation.ReplaceMember)) {
            Step step = planner.next(cluster.at(T0.plus(LEARNER_DEADLINE).plusSeconds(1)).desiring(4, added(operation, 3)));
            assertThat(step).as("%s", operation).isInstanceOfSatisfying(Step.RemoveMember.class, r -> {
                assertThat(r.journal().memberId()).isEqualTo(idOf(3));
                assertThat(r.journal().operation()).isEqualTo(operation == Operation.ScaleUp ? Operation.ScaleDown : Operation.ReplaceMember);
                assertThat(r.because()).hasValueSatisfying(b -> {
                    assertThat(b.condition()).isEqualTo(ConditionReason.RemovingStuckLearner);
                    assertThat(b.text()).contains("raft index 10 of 100 (10%)").contains("learner deadline");
                });
            });
        }
        // A learner that answers nothing any more goes the same way; one that caught up is promoted, whenever it caught up.
        Cluster silent = Cluster.of(voter(0).leader(), voter(1), voter(2), learner(3).unhealthy());
        assertThat(planner.next(silent.at(T0.plus(LEARNER_DEADLINE).plusSeconds(1)).desiring(4, added(Operation.ReplaceMember, 3))))
                .matches(stuckLearnerRemoval(3));
        Cluster caughtUp = Cluster.of(voter(0).leader(), voter(1), voter(2), learner(3));
        assertThat(planner.next(caughtUp.at(T0.plus(LEARNER_DEADLINE).plusSeconds(1)).desiring(4, added(Operation.ReplaceMember, 3))))
                .isEqualTo(new Step.PromoteLearner(idOf(3), 3));
    }

    @Test
    void aLostVotersRepairPreemptsAStuckLearnerButNotOneThatCaughtUp() {
        Journal journal = added(Operation.ReplaceMember, 1);
        Cluster stuck = Cluster.of(voter(0).leader(), learner(1).notStarted(), voter(2), voter(3).unhealthy(), voter(4)).podLostData(3);
        assertThat(planner.next(stuck.at(T0.plusSeconds(10)).desiring(5, journal))).matches(stuckLearnerRemoval(1))
                .isInstanceOfSatisfying(Step.RemoveMember.class, r -> assertThat(r.because().get().text()).contains("lost voter"));
        Cluster ready = Cluster.of(voter(0).leader(), learner(1), voter(2), voter(3).unhealthy(), voter(4)).podLostData(3);
        assertThat(planner.next(ready.at(T0.plusSeconds(10)).desiring(5, journal))).isEqualTo(new Step.PromoteLearner(idOf(1), 1));
    }

    @Test
    void aReplacementLearnerWhosePodNeverStartsIsRemovedAtEachDeadlineAndAddedAgainNeverPinningTheCluster() {
        SimulatedCluster sim = grownTo(3);
        sim.loseVolume(2);
        sim.hangPod(2);
        List<Step> steps = new ArrayList<>();
        List<Instant> times = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            times.add(sim.now());
            steps.add(planAndApply(sim, 3));
        }
        List<Integer> removals = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            if (stuckLearnerRemoval(2).test(steps.get(i))) {
                removals.add(i);
            }
        }
        assertThat(removals).as("removed at each deadline, added again between").hasSizeGreaterThanOrEqualTo(2);
        assertThat(Duration.between(times.get(0), times.get(removals.get(0)))).isGreaterThan(LEARNER_DEADLINE);
        assertThat(steps.subList(removals.get(0), removals.get(1))).anyMatch(Step.AddLearner.class::isInstance);
        assertThat(sim.voterOrdinals()).as("the two voters are never touched").containsExactlyInAnyOrder(0, 1);
    }

    @Test
    void aSecondMembersLossIsRepairedWhileAReplacementLearnersPodNeverStarts() {
        SimulatedCluster sim = grownTo(5);
        sim.loseVolume(1);
        sim.hangPod(1);
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < 200 && !sim.journal().filter(j -> j.phase() == Phase.MemberAdded && j.ordinal() == 1).isPresent(); i++) {
            steps.add(planAndApply(sim, 5));
        }
        assertThat(sim.journal()).as("the replacement learner of etcd-1 was added; its pod never starts").isPresent();
        long lostId = sim.idAt(3);
        sim.loseVolume(3);
        for (int i = 0; i < 60 && !(sim.voterOrdinals().contains(3) && sim.idAt(3) != lostId); i++) {
            steps.add(planAndApply(sim, 5));
        }
        assertThat(sim.voterOrdinals()).as("etcd-3 was replaced meanwhile: " + sim.describe()).contains(0, 2, 3, 4);
        assertThat(sim.idAt(3)).isNotEqualTo(lostId);
        assertThat(steps).anyMatch(stuckLearnerRemoval(1));
    }

    private SimulatedCluster grownTo(int replicas) {
        SimulatedCluster sim = new SimulatedCluster();
        for (int desired : new int[] {1, replicas}) {
            for (int i = 0; i < 200 && !(planner.next(sim.input(desired)) instanceof Step.Converged); i++) {
                planAndApply(sim, desired);
            }
        }
        return sim;
    }

    private Step planAndApply(SimulatedCluster sim, int desired) {
        PlanInput in = sim.input(desired);
        Step step = planner.next(in);
        MembershipInvariants.check(in, step);
        assertThat(step).as(sim.describe()).isNotInstanceOf(Step.Blocked.class);
        sim.apply(step);
        assertThat(sim.learners()).as("at most one learner: " + sim.describe()).isLessThanOrEqualTo(1);
        return step;
    }
}
