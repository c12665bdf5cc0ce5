package com.storageos.etcd.membership;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.status.ConditionReason;
import com.storageos.etcd.membership.Journal.Operation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The migration from an external cluster, phase by phase, from observed state alone. */
class MigrationPlannerTest {
    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    final MembershipPlanner planner = new MembershipPlanner();

    /** External member {@code i}: id 0xe0+i, a foreign peer URL, ordinal -1. */
    static ObservedMember external(int i, boolean healthy, boolean leader, String version) {
        return new ObservedMember(0xe0 + i, "old-" + i, "http://10.0.0." + i + ":2380", "http://10.0.0." + i + ":2379", -1,
                false, healthy, leader && healthy, version, 1, 1, 10, 10, 0, 2);
    }

    static ObservedMember ours(int ordinal, boolean learner, boolean leader) {
        return new ObservedMember(Cluster.idOf(ordinal), "etcd-" + ordinal, Cluster.peerUrl(ordinal), Cluster.clientUrl(ordinal),
                ordinal, learner, true, leader, "3.4.23", 1, 1, 10, 10, 0, 2);
    }

    static List<ObservedMember> healthyExternals() {
        return List.of(external(1, true, true, "3.4.23"), external(2, true, false, "3.4.23"), external(3, true, false, "3.4.23"));
    }

    static ClusterObservation observe(List<ObservedMember> members) {
        Map<Integer, PodState> pods = members.stream().filter(m -> m.ordinal() >= 0)
                .collect(Collectors.toMap(ObservedMember::ordinal, m -> new PodState(m.ordinal(), true, false, false, true, false)));
        int replicas = members.stream().mapToInt(ObservedMember::ordinal).max().orElse(-1) + 1;
        return new ClusterObservation(true, members, pods, replicas, pods.keySet(), Set.of(), 0xc1, NOW, "", Optional.empty());
    }

    Step plan(List<ObservedMember> members, Optional<Migration> recorded, Optional<String> approval, boolean switched) {
        return plan(members, recorded, approval, switched, Optional.empty());
    }

    Step plan(List<ObservedMember> members, Optional<Migration> recorded, Optional<String> approval, boolean switched,
              Optional<Journal> journal) {
        ClusterObservation obs = observe(members);
        int pods = obs.memberPodCount();
        return planner.next(new PlanInput(3, obs, journal, recorded.filter(m -> m.phase() != Migration.Phase.Proposed).isPresent(),
                Cluster::peerUrl, Cluster.LEARNER_DEADLINE, pods, Optional.empty(),
                Optional.of(new MigrationInput(recorded, approval, true, switched))));
    }

    Migration proposed() {
        return ((Step.MigrationProgress) plan(healthyExternals(), Optional.empty(), Optional.empty(), false)).next();
    }

    Optional<Migration> at(Migration.Phase phase) {
        return Optional.of(proposed().withPhase(phase));
    }

    @Test
    void thePlanIsShownStepByStepAndNothingElseHappensWithoutApproval() {
        Step first = plan(healthyExternals(), Optional.empty(), Optional.empty(), false);
        assertThat(first).isInstanceOf(Step.MigrationProgress.class);
        Migration plan = ((Step.MigrationProgress) first).next();
        assertThat(plan.phase()).isEqualTo(Migration.Phase.Proposed);
        assertThat(plan.externalIds()).containsExactlyInAnyOrder(0xe1L, 0xe2L, 0xe3L);
        assertThat(plan.plan()).hasSize(1 + 3 + 1 + 1 + 3 + 1)
                .anySatisfy(s -> assertThat(s).contains("add " + Cluster.peerUrl(2) + " as a learner"))
                .anySatisfy(s -> assertThat(s).contains("remove external member old-1 (e1)"));
        // Recorded: it waits, and says how to approve; a wrong value approves nothing.
        Step again = plan(healthyExternals(), Optional.of(plan), Optional.of("not-the-plan"), false);
        assertThat(again).isInstanceOf(Step.Wait.class);
        assertThat(((Step.Wait) again).reason()).isEqualTo(ConditionReason.MigrationAwaitingApproval);
        assertThat(((Step.Wait) again).message()).contains(Migration.APPROVAL_ANNOTATION + "=" + plan.planId(), "names no current plan");
    }

    @Test
    void approvalOfTheShownPlanStartsTheMigration() {
        Migration plan = proposed();
        Step step = plan(healthyExternals(), Optional.of(plan), Optional.of(plan.planId()), false);
        assertThat(step).isInstanceOfSatisfying(Step.MigrationProgress.class,
                p -> assertThat(p.next().phase()).isEqualTo(Migration.Phase.Joining));
    }

    @Test
    void aPlanApprovedBeforeTheExternalMembershipChangedIsNotStarted() {
        Migration plan = proposed();
        List<ObservedMember> grown = new ArrayList<>(healthyExternals());
        grown.add(external(4, true, false, "3.4.23"));
        Step step = plan(grown, Optional.of(plan), Optional.of(plan.planId()), false);
        assertThat(step).isInstanceOfSatisfying(Step.MigrationProgress.class, p -> {
            assertThat(p.next().phase()).isEqualTo(Migration.Phase.Proposed);
            assertThat(p.next().planId()).isNotEqualTo(plan.planId());
        });
    }

    @Test
    void anExternalClusterThatIsNotWholeIsRefusedAndNothingIsTouched() {
        assertRefused(List.of(external(1, true, true, "3.4.23"), external(2, false, false, ""), external(3, true, false, "3.4.23")),
                "old-2 (http://10.0.0.2:2379) is not healthy");
        assertRefused(List.of(external(1, true, true, "3.3.25"), external(2, true, false, "3.3.25")), "learners need 3.4 or later");
        ObservedMember neverStarted = new ObservedMember(0xe9, "", "http://10.0.0.9:2380", "", -1, false, false, false, "", 0, 0, 0, 0, 0, 0);
        assertRefused(List.of(external(1, true, true, "3.4.23"), neverStarted), "e9 was added but never started");
        ObservedMember learner = new ObservedMember(0xe8, "old-8", "http://10.0.0.8:2380", "http://10.0.0.8:2379", -1, true, true,
                false, "3.4.23", 1, 1, 1, 1, 0, 2);
        assertRefused(List.of(external(1, true, true, "3.4.23"), learner), "is a learner");
        ClusterObservation none = new ClusterObservation(false, List.of(), Map.of(), -1, Set.of(), Set.of(), 0, NOW, "", Optional.empty());
        Step unreachable = planner.next(new PlanInput(3, none, Optional.empty(), false, Cluster::peerUrl, Cluster.LEARNER_DEADLINE, 0,
                Optional.empty(), Optional.of(new MigrationInput(Optional.empty(), Optional.of("x"), true, false))));
        assertThat(unreachable).isInstanceOfSatisfying(Step.Blocked.class, b -> assertThat(b.message()).contains("answered"));
    }

    private void assertRefused(List<ObservedMember> members, String why) {
        // Even an approval of whatever plan: a refusal never starts anything (no bootstrap either).
        Step step = plan(members, Optional.empty(), Optional.of("any"), false);
        assertThat(step).isInstanceOfSatisfying(Step.Blocked.class, b -> {
            assertThat(b.reason()).isEqualTo(ConditionReason.MigrationRefused);
            assertThat(b.message()).contains(why, "nothing was changed");
        });
    }

    @Test
    void membersOfOursJoinOneLearnerAtATimeThenStorageOSIsSwitchedBeforeAnyExternalMemberGoes() {
        Step add = plan(healthyExternals(), at(Migration.Phase.Joining), Optional.empty(), false);
        assertThat(add).isInstanceOfSatisfying(Step.AddLearner.class, a -> {
            assertThat(a.journal().ordinal()).isZero();
            assertThat(a.journal().operation()).isEqualTo(Operation.ScaleUp);
        });
        List<ObservedMember> two = new ArrayList<>(healthyExternals());
        two.add(ours(0, false, false));
        two.add(ours(1, false, false));
        assertThat(plan(two, at(Migration.Phase.Joining), Optional.empty(), false))
                .isInstanceOfSatisfying(Step.AddLearner.class, a -> assertThat(a.journal().ordinal()).isEqualTo(2));
        List<ObservedMember> all = withAllOurs(healthyExternals());
        assertThat(plan(all, at(Migration.Phase.Joining), Optional.empty(), false)).isInstanceOfSatisfying(Step.MigrationProgress.class,
                p -> assertThat(p.next().phase()).isEqualTo(Migration.Phase.SwitchingClients));
        assertThat(plan(all, at(Migration.Phase.SwitchingClients), Optional.empty(), false))
                .isInstanceOfSatisfying(Step.Wait.class, w -> assertThat(w.reason()).isEqualTo(ConditionReason.MigrationSwitchingStorageOS));
        assertThat(plan(all, at(Migration.Phase.SwitchingClients), Optional.empty(), true)).isInstanceOfSatisfying(Step.MigrationProgress.class,
                p -> assertThat(p.next().phase()).isEqualTo(Migration.Phase.AwaitingStorageOSRestart));
    }

    @Test
    void anUnhealthyVoterStopsTheJoinWithoutTouchingAnything() {
        List<ObservedMember> members = List.of(external(1, true, true, "3.4.23"), external(2, false, false, ""),
                external(3, true, false, "3.4.23"));
        assertThat(plan(members, at(Migration.Phase.Joining), Optional.empty(), false))
                .isInstanceOfSatisfying(Step.Wait.class, w -> assertThat(w.reason()).isEqualTo(ConditionReason.MemberUnhealthy));
    }

    @Test
    void externalMembersAreRemovedOneByOneTheExternalLeaderLastAfterALeaderMove() {
        Optional<Migration> removing = at(Migration.Phase.RemovingExternalMembers);
        Step first = plan(withAllOurs(healthyExternals()), removing, Optional.empty(), true);
        assertThat(first).isInstanceOfSatisfying(Step.RemoveMember.class, r -> {
            assertThat(r.journal().operation()).isEqualTo(Operation.RemoveExternal);
            assertThat(r.journal().memberId()).isEqualTo(0xe2);
        });
        List<ObservedMember> leaderLeft = withAllOurs(List.of(external(1, true, true, "3.4.23")));
        assertThat(plan(leaderLeft, removing, Optional.empty(), true)).isInstanceOfSatisfying(Step.MoveLeader.class, m -> {
            assertThat(m.fromId()).isEqualTo(0xe1);
            assertThat(m.toId()).isEqualTo(Cluster.idOf(0));
        });
        List<ObservedMember> led = withAllOurs(List.of(external(1, true, false, "3.4.23")));
        assertThat(plan(led, removing, Optional.empty(), true)).isInstanceOfSatisfying(Step.RemoveMember.class,
                r -> assertThat(r.journal().memberId()).isEqualTo(0xe1));
        assertThat(plan(withAllOurs(List.of()), removing, Optional.empty(), true)).isInstanceOfSatisfying(Step.MigrationProgress.class,
                p -> assertThat(p.next().phase()).isEqualTo(Migration.Phase.Completed));
    }

    @Test
    void anOpenRemovalJournalClosesOnceEtcdNoLongerListsTheMember() {
        Journal open = Journal.start(Operation.RemoveExternal, Journal.Phase.RemoveRequested, -1, "http://10.0.0.2:2380", 0xe2, NOW);
        Step gone = plan(withAllOurs(List.of(external(1, true, true, "3.4.23"))), at(Migration.Phase.RemovingExternalMembers),
                Optional.empty(), true, Optional.of(open));
        assertThat(gone).isInstanceOfSatisfying(Step.RecordJournal.class, r -> assertThat(r.next()).isEmpty());
        Step still = plan(withAllOurs(List.of(external(1, true, true, "3.4.23"), external(2, true, false, "3.4.23"))),
                at(Migration.Phase.RemovingExternalMembers), Optional.empty(), true, Optional.of(open));
        assertThat(still).isInstanceOf(Step.RemoveMember.class);
    }

    @Test
    void aMemberOutsideThePlanIsNeverRemoved() {
        List<ObservedMember> members = withAllOurs(List.of(external(1, true, false, "3.4.23"), external(7, true, false, "3.4.23")));
        assertThat(plan(members, at(Migration.Phase.RemovingExternalMembers), Optional.empty(), true))
                .isInstanceOfSatisfying(Step.Blocked.class, b -> assertThat(b.reason()).isEqualTo(ConditionReason.MigrationUnexpectedMember));
    }

    @Test
    void versionsFromThreeFourOnTakeLearners() {
        assertThat(MigrationPlanner.supportsLearners("3.4.0")).isTrue();
        assertThat(MigrationPlanner.supportsLearners("3.5.17")).isTrue();
        assertThat(MigrationPlanner.supportsLearners("3.3.27")).isFalse();
        assertThat(MigrationPlanner.supportsLearners("")).isFalse();
    }

    static List<ObservedMember> withAllOurs(List<ObservedMember> external) {
        List<ObservedMember> all = new ArrayList<>(external);
        IntStream.range(0, 3).forEach(i -> all.add(ours(i, false, false)));
        return all;
    }
}
