package com.storageos.etcd.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** Drives a {@link SimulatedCluster} with the planner, every step checked against {@link MembershipInvariants}, for the planner's tests. */
final class SimulatorDriver {
    static final int MAX_STEPS = 200;
    private static final MembershipPlanner PLANNER = new MembershipPlanner();

    private SimulatorDriver() {
    }

    static SimulatedCluster grownTo(int replicas) {
        SimulatedCluster sim = new SimulatedCluster();
        driveTo(sim, 1);
        driveTo(sim, replicas);
        return sim;
    }

    static Step planAndApply(SimulatedCluster sim, int desired) {
        PlanInput in = sim.input(desired);
        Step step = PLANNER.next(in);
        MembershipInvariants.check(in, step);
        sim.apply(step);
        assertThat(sim.learners()).as("at most one learner: " + sim.describe()).isLessThanOrEqualTo(1);
        return step;
    }

    static List<Step> driveTo(SimulatedCluster sim, int desired) {
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < MAX_STEPS; i++) {
            PlanInput in = sim.input(desired);
            Step step = PLANNER.next(in);
            MembershipInvariants.check(in, step);
            if (step instanceof Step.Converged) {
                return steps;
            }
            assertThat(step).as(sim.describe()).isNotInstanceOf(Step.Blocked.class);
            steps.add(step);
            sim.apply(step);
            assertThat(sim.learners()).as("at most one learner: " + sim.describe()).isLessThanOrEqualTo(1);
        }
        return fail("did not converge to " + desired + ": " + sim.describe() + " last steps " + steps.subList(Math.max(0, steps.size() - 5), steps.size()));
    }

    static void assertConverged(SimulatedCluster sim, int replicas) {
        Set<Integer> ordinals = IntStream.range(0, replicas).boxed().collect(Collectors.toSet());
        assertThat(sim.voterOrdinals()).as(sim.describe()).isEqualTo(ordinals);
        assertThat(sim.learners()).isZero();
        assertThat(sim.statefulSetReplicas()).isEqualTo(replicas);
        assertThat(sim.podOrdinals()).isEqualTo(ordinals);
        assertThat(sim.claims()).isEqualTo(ordinals);
        assertThat(sim.journal()).isEmpty();
        assertThat(sim.leaderOrdinal()).isBetween(0, replicas - 1);
    }

    static int indexOf(List<Step> steps, Class<? extends Step> type) {
        return IntStream.range(0, steps.size()).filter(i -> type.isInstance(steps.get(i))).findFirst().orElseThrow();
    }

    /** The steps that change something, as short words; waits and bookkeeping are left out. */
    static List<String> acting(List<Step> steps) {
        List<String> words = new ArrayList<>();
        for (Step s : steps) {
            if (s instanceof Step.Bootstrap b) {
                words.add("Bootstrap(" + b.podCount() + ")");
            } else if (s instanceof Step.AddLearner a) {
                words.add("AddLearner(" + a.journal().ordinal() + ")");
            } else if (s instanceof Step.StartMember m) {
                words.add("StartMember(" + m.ordinal() + "," + m.podCount() + ")");
            } else if (s instanceof Step.PromoteLearner p) {
                words.add("PromoteLearner(" + p.ordinal() + ")");
            } else if (s instanceof Step.MoveLeader) {
                words.add("MoveLeader");
            } else if (s instanceof Step.RemoveMember r) {
                words.add("RemoveMember(" + r.journal().ordinal() + ")");
            } else if (s instanceof Step.RetireOrdinal r) {
                words.add("RetireOrdinal(" + r.ordinal() + "," + r.podCount() + ")");
            } else if (s instanceof Step.ReleaseVolume v) {
                words.add("ReleaseVolume(" + v.ordinal() + ")");
            } else if (s instanceof Step.RestartPod r) {
                words.add("RestartPod(" + r.ordinal() + ")");
            }
        }
        return words;
    }
}
