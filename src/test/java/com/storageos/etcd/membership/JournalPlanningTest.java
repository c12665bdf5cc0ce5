package com.storageos.etcd.membership;

import static com.storageos.etcd.membership.Cluster.T0;
import static com.storageos.etcd.membership.Cluster.idOf;
import static com.storageos.etcd.membership.Cluster.learner;
import static com.storageos.etcd.membership.Cluster.peerUrl;
import static com.storageos.etcd.membership.Cluster.voter;
import static com.storageos.etcd.membership.SimulatorDriver.MAX_STEPS;
import static com.storageos.etcd.membership.SimulatorDriver.acting;
import static com.storageos.etcd.membership.SimulatorDriver.assertConverged;
import static com.storageos.etcd.membership.SimulatorDriver.grownTo;
import static com.storageos.etcd.membership.SimulatorDriver.indexOf;
import static com.storageos.etcd.membership.SimulatorDriver.planAndApply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.storageos.etcd.membership.Journal.Operation;
import com.storageos.etcd.membership.Journal.Phase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The journal against what etcd says: a stuck learner, a journal etcd disagrees with, a crash after any step. */
class JournalPlanningTest {
    private final MembershipPlanner planner = new MembershipPlanner();

    // ---------------------------------------------------------------- stuck learner

    @Test
    void aLearnerStuckPastTheDeadlineDuringScaleUpIsRolledBackAndItsOrdinalRetired() {
        SimulatedCluster sim = grownTo(1);
        sim.hangPod(1);
        List<Step> steps = new ArrayList<>();
        List<Instant> times = new ArrayList<>();
        for (int i = 0; i < MAX_STEPS && steps.stream().noneMatch(Step.ReleaseVolume.class::isInstance); i++) {
            times.add(sim.now());
            steps.add(planAndApply(sim, 3));
        }
        assertThat(acting(steps)).containsExactly("AddLearner(1)", "StartMember(1,2)", "RemoveMember(1)", "RetireOrdinal(1,1)", "ReleaseVolume(1)");
        int added = indexOf(steps, Step.AddLearner.class);
        int removed = indexOf(steps, Step.RemoveMember.class);
        assertThat(Duration.between(times.get(added), times.get(removed))).isGreaterThan(Cluster.LEARNER_DEADLINE);
        assertThat(((Step.RemoveMember) steps.get(removed)).journal().operation()).isEqualTo(Operation.ScaleDown);
        assertThat(sim.voterOrdinals()).containsExactly(0);
        assertThat(sim.learners()).isZero();
        assertThat(sim.statefulSetReplicas()).isEqualTo(1);
        assertThat(sim.journal()).isEmpty();
    }

    @Test
    void aStuckLearnerIsNotRolledBackBeforeTheDeadline() {
        Journal added = Journal.start(Operation.ScaleUp, Phase.MemberAdded, 1, peerUrl(1), idOf(1), T0);
        Cluster cluster = Cluster.of(voter(0).leader(), learner(1).notStarted());
        assertThat(planner.next(cluster.at(T0.plus(Cluster.LEARNER_DEADLINE)).desiring(3, added))).isInstanceOf(Step.Wait.class);
        assertThat(planner.next(cluster.at(T0.plus(Cluster.LEARNER_DEADLINE).plusSeconds(1)).desiring(3, added)))
                .isInstanceOf(Step.RemoveMember.class);
    }

    // ---------------------------------------------------------------- journal disagrees with etcd

    @Test
    void addRequestedButTheLearnerAlreadyExistsAdoptsItsId() {
        Journal intent = Journal.start(Operation.ScaleUp, Phase.AddRequested, 1, peerUrl(1), 0, T0);
        Step step = planner.next(Cluster.of(voter(0).leader(), learner(1).notStarted().id(0xbeef)).desiring(3, intent));
        assertThat(step).isInstanceOfSatisfying(Step.RecordJournal.class, r -> assertThat(r.next()).hasValueSatisfying(j -> {
            assertThat(j.phase()).isEqualTo(Phase.MemberAdded);
            assertThat(j.memberId()).isEqualTo(0xbeef);
            assertThat(j.ordinal()).isEqualTo(1);
        }));
    }

    @Test
    void memberAddedButTheLearnerVanishedClosesTheJournal() {
        Journal added = Journal.start(Operation.ScaleUp, Phase.MemberAdded, 1, peerUrl(1), idOf(1), T0);
        Step step = planner.next(Cluster.of(voter(0).leader()).desiring(3, added));
        assertThat(step).isEqualTo(new Step.RecordJournal(Optional.empty(), "LearnerVanished"));
    }

    @Test
    void removeRequestedButTheMemberIsGoneMovesToTheNextPhase() {
        Journal scaleDown = Journal.start(Operation.ScaleDown, Phase.RemoveRequested, 2, peerUrl(2), idOf(2), T0);
        Journal replace = Journal.start(Operation.ReplaceMember, Phase.RemoveRequested, 2, peerUrl(2), idOf(2), T0);
        Cluster twoLeft = Cluster.of(voter(0).leader(), voter(1)).statefulSetReplicas(3);

        assertThat(planner.next(twoLeft.desiring(2, scaleDown))).isInstanceOfSatisfying(Step.RecordJournal.class,
                r -> assertThat(r.next()).hasValueSatisfying(j -> assertThat(j.phase()).isEqualTo(Phase.MemberRemoved)));
        assertThat(planner.next(twoLeft.desiring(3, replace))).isInstanceOfSatisfying(Step.RecordJournal.class,
                r -> assertThat(r.next()).hasValueSatisfying(j -> {
                    assertThat(j.phase()).isEqualTo(Phase.AddRequested);
                    assertThat(j.peerUrl()).isEqualTo(peerUrl(2));
                }));
    }

    @Test
    void rollingBackALearnerBelowAnotherMemberNeverRetiresThatMembersPod() {
        // Voters 0 and 2 (a gap at 1, e.g. after a hand edit); the learner at ordinal 1 was removed again.
        Journal removed = Journal.start(Operation.ScaleDown, Phase.MemberRemoved, 1, peerUrl(1), idOf(1), T0);
        Cluster gap = Cluster.of(voter(0).leader(), voter(2));
        Step step = planner.next(gap.desiring(3, removed));
        assertThat(step).isEqualTo(new Step.RecordJournal(Optional.empty(), "OrdinalBelowOtherMembers"));
        assertThat(planner.next(gap.desiring(3))).as("no pod is retired under voter 2")
                .isNotInstanceOf(Step.RetireOrdinal.class);
    }

    @Test
    void aLearnerWithoutAJournalIsAdoptedAsAScaleUp() {
        Step step = planner.next(Cluster.of(voter(0).leader(), learner(1)).desiring(3));
        assertThat(step).isInstanceOfSatisfying(Step.RecordJournal.class, r -> assertThat(r.next()).hasValueSatisfying(j -> {
            assertThat(j.operation()).isEqualTo(Operation.ScaleUp);
            assertThat(j.phase()).isEqualTo(Phase.MemberAdded);
            assertThat(j.memberId()).isEqualTo(idOf(1));
        }));
    }

    // ---------------------------------------------------------------- crash after every step

    static IntStream crashPoints() {
        return IntStream.range(0, 12);
    }

    @ParameterizedTest(name = "crash after step {0}")
    @MethodSource("crashPoints")
    void aCrashAfterActingButBeforeTheJournalWriteStillConverges(int crashAt) {
        SimulatedCluster sim = grownTo(1);
        for (int i = 0; i < MAX_STEPS; i++) {
            sim.crashAfterActing(i == crashAt);
            PlanInput in = sim.input(3);
            Step step = planner.next(in);
            MembershipInvariants.check(in, step);
            if (step instanceof Step.Converged) {
                assertConverged(sim, 3);
                return;
            }
            sim.apply(step);
            assertThat(sim.learners()).as("one change at a time").isLessThanOrEqualTo(1);
        }
        fail("did not converge: " + sim.describe());
    }

    /** Every step's first attempt dies after acting; its retry (the same step planned again) gets through. */
    @Test
    void crashingAfterEveryActionStillConverges() {
        SimulatedCluster sim = grownTo(1);
        List<Step> up = driveCrashingOnceEachStep(sim, 3);
        assertThat(up).anySatisfy(s -> assertThat(s).isInstanceOfSatisfying(Step.RecordJournal.class,
                r -> assertThat(r.reason()).isEqualTo("LearnerFound")));
        assertConverged(sim, 3);
        List<Step> down = driveCrashingOnceEachStep(sim, 1);
        assertThat(down).anySatisfy(s -> assertThat(s).isInstanceOfSatisfying(Step.RecordJournal.class,
                r -> assertThat(r.reason()).isEqualTo("MemberRemoved")));
        assertConverged(sim, 1);
    }

    private List<Step> driveCrashingOnceEachStep(SimulatedCluster sim, int desired) {
        List<Step> steps = new ArrayList<>();
        Step crashed = null;
        for (int i = 0; i < MAX_STEPS; i++) {
            PlanInput in = sim.input(desired);
            Step step = planner.next(in);
            MembershipInvariants.check(in, step);
            if (step instanceof Step.Converged) {
                sim.crashAfterActing(false);
                return steps;
            }
            sim.crashAfterActing(!step.equals(crashed));
            crashed = step;
            steps.add(step);
            sim.apply(step);
        }
        return fail("did not converge: " + sim.describe());
    }
}
