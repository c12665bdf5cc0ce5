package com.storageos.etcd.membership;

import com.storageos.etcd.api.v1alpha1.status.ConditionReason;
import static com.storageos.etcd.membership.Cluster.T0;
import static com.storageos.etcd.membership.Cluster.idOf;
import static com.storageos.etcd.membership.Cluster.learner;
import static com.storageos.etcd.membership.Cluster.peerUrl;
import static com.storageos.etcd.membership.Cluster.voter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.storageos.etcd.membership.Journal.Operation;
import com.storageos.etcd.membership.Journal.Phase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class MembershipPlannerTest {
    private static final int MAX_STEPS = 200;
    private final MembershipPlanner planner = new MembershipPlanner();

    // ---------------------------------------------------------------- journeys

    @Test
    void freshClusterBootstrapsOneMemberThenGrowsTo3And5AndShrinksTo3And1() {
        SimulatedCluster sim = new SimulatedCluster();

        assertThat(acting(driveTo(sim, 1))).containsExactly("Bootstrap(1)");
        assertConverged(sim, 1);

        assertThat(acting(driveTo(sim, 3))).containsExactly(
                "AddLearner(1)", "StartMember(1,2)", "PromoteLearner(1)",
                "AddLearner(2)", "StartMember(2,3)", "PromoteLearner(2)");
        assertConverged(sim, 3);

        assertThat(acting(driveTo(sim, 5))).containsExactly(
                "AddLearner(3)", "StartMember(3,4)", "PromoteLearner(3)",
                "AddLearner(4)", "StartMember(4,5)", "PromoteLearner(4)");
        assertConverged(sim, 5);

        assertThat(acting(driveTo(sim, 3))).containsExactly(
                "RemoveMember(4)", "RetireOrdinal(4,4)", "ReleaseVolume(4)",
                "RemoveMember(3)", "RetireOrdinal(3,3)", "ReleaseVolume(3)");
        assertConverged(sim, 3);

        assertThat(acting(driveTo(sim, 1))).containsExactly(
                "RemoveMember(2)", "RetireOrdinal(2,2)", "ReleaseVolume(2)",
                "RemoveMember(1)", "RetireOrdinal(1,1)", "ReleaseVolume(1)");
        assertConverged(sim, 1);
    }

    @Test
    void bootstrapRecordsTheClusterAsFormedOnceTheFirstMemberAnswers() {
        SimulatedCluster sim = new SimulatedCluster();
        List<Step> steps = driveTo(sim, 1);
        assertThat(steps).anySatisfy(s -> assertThat(s).isEqualTo(new Step.RecordJournal(Optional.empty(), "ClusterFormed")));
        assertThat(planner.next(Cluster.empty().input(1, Optional.empty(), true)))
                .as("a formed cluster whose members do not answer is never bootstrapped again")
                .isInstanceOf(Step.Blocked.class);
    }

    @Test
    void podsScaledAwayByHandAreRestoredFromTheRecordedMembershipNeverFromABackup() {
        Cluster threeRecorded = Cluster.of(voter(0).leader(), voter(1), voter(2));
        assertThat(planner.next(threeRecorded.statefulSetReplicas(0).unreachable().desiring(3)))
                .as("scaled to 0: no member answers").isInstanceOfSatisfying(Step.RestorePods.class, r -> {
                    assertThat(r.podCount()).isEqualTo(3);
                    assertThat(r.message()).doesNotContain("backup");
                });
        PlanInput oneLeft = Cluster.of(voter(0), voter(1).unhealthy(), voter(2).unhealthy()).statefulSetReplicas(1).desiring(3);
        assertThat(planner.next(oneLeft)).as("scaled to 1: quorum lost").isEqualTo(new Step.RestorePods(3,
                "the StatefulSet runs 1 of the 3 pods the recorded members need; restoring them on their volumes"));
        assertThat(planner.next(Cluster.of(voter(0), voter(1).unhealthy(), voter(2).unhealthy()).desiring(3)))
                .as("every pod is there: quorum lost for real").isInstanceOf(Step.Blocked.class);
    }

    @Test
    void bootstrapStartsAPodForEveryRetainedVolumeOfARecreatedCluster() {
        Step step = planner.next(Cluster.empty().claims(0, 1, 2).input(3, Optional.empty(), false));
        assertThat(step).isInstanceOfSatisfying(Step.Bootstrap.class, b -> {
            assertThat(b.podCount()).isEqualTo(3);
            assertThat(b.journal().operation()).isEqualTo(Operation.Bootstrap);
        });
    }

    @ParameterizedTest(name = "claim 0 deleted: {0}")
    @ValueSource(booleans = {true, false})
    void aRecreatedClusterWhoseVolume0IsGoneComesBackOnTheRetainedMembersNeverAsANewCluster(boolean claimDeleted) {
        SimulatedCluster sim = grownTo(3);
        long id1 = sim.idAt(1);
        long id2 = sim.idAt(2);
        long id0 = sim.idAt(0);
        sim.recreateResource();
        if (claimDeleted) {
            sim.deleteClaim(0);
        } else {
            sim.emptyVolume(0);
        }

        List<Step> steps = driveTo(sim, 3);

        assertThat(steps.get(0)).as("a pod for every retained claim, and the journal names them")
                .isInstanceOfSatisfying(Step.Bootstrap.class, b -> {
                    assertThat(b.podCount()).isEqualTo(3);
                    assertThat(b.journal().retainedOrdinals()).containsExactlyInAnyOrder(1, 2);
                });
        assertThat(acting(steps)).containsExactly("Bootstrap(3)", "RemoveMember(0)", "AddLearner(0)", "RestartPod(0)", "PromoteLearner(0)");
        assertThat(steps).contains(new Step.RecordJournal(Optional.empty(), Step.RecordJournal.CLUSTER_FORMED));
        assertConverged(sim, 3);
        assertThat(List.of(sim.idAt(1), sim.idAt(2))).as("the old members, on their data").containsExactly(id1, id2);
        assertThat(sim.idAt(0)).as("member 0 replaced as a member that lost its data").isNotEqualTo(id0);
    }

    @Test
    void retainedVolumesThatNeverAnswerBlockTheBootstrapWithWhatToDo() {
        Journal journal = Journal.bootstrap(2, Set.of(1, 2), T0);
        Cluster waiting = Cluster.empty().claims(0, 1, 2).statefulSetReplicas(3).unreachable();
        assertThat(planner.next(waiting.at(T0.plusSeconds(60)).input(3, Optional.of(journal), false)))
                .isInstanceOfSatisfying(Step.Wait.class, w -> assertThat(w.message()).contains("ordinals 1, 2")
                        .contains("member 0 will not form a new cluster"));
        assertThat(planner.next(waiting.at(T0.plus(Duration.ofMinutes(6))).input(3, Optional.of(journal), false)))
                .isInstanceOfSatisfying(Step.Blocked.class, b -> {
                    assertThat(b.reason()).isEqualTo(ConditionReason.RetainedVolumesWithoutQuorum);
                    assertThat(b.message()).contains("ordinals 1, 2").contains("delete this EtcdCluster and those claims");
                });
    }

    @Test
    void scaleDownOfTheLeaderMovesLeadershipAwayBeforeRemovingIt() {
        SimulatedCluster sim = grownTo(3);
        sim.apply(new Step.MoveLeader(sim.idAt(0), sim.idAt(2)));
        assertThat(sim.leaderOrdinal()).isEqualTo(2);

        assertThat(acting(driveTo(sim, 2))).containsExactly("MoveLeader", "RemoveMember(2)", "RetireOrdinal(2,2)", "ReleaseVolume(2)");
        assertConverged(sim, 2);
    }

    // ---------------------------------------------------------------- lost volume

    @ParameterizedTest(name = "lost volume on ordinal {0} (leader is 0)")
    @ValueSource(ints = {2, 0})
    void aMemberThatLostItsVolumeIsRemovedAndAddedBackAsALearnerUnderTheSameName(int lost) {
        SimulatedCluster sim = grownTo(3);
        assertThat(sim.leaderOrdinal()).isZero();
        long oldId = sim.idAt(lost);
        sim.loseVolume(lost);
        assertThat(sim.observe().pod(lost)).hasValueSatisfying(p -> assertThat(p.reportedDataLoss()).isTrue());

        List<Step> steps = driveTo(sim, 3);

        assertThat(acting(steps)).containsExactly("RemoveMember(" + lost + ")", "AddLearner(" + lost + ")",
                "RestartPod(" + lost + ")", "PromoteLearner(" + lost + ")");
        assertThat(steps).filteredOn(Step.RemoveMember.class::isInstance).singleElement()
                .satisfies(s -> assertThat(((Step.RemoveMember) s).journal()).satisfies(j -> {
                    assertThat(j.operation()).isEqualTo(Operation.ReplaceMember);
                    assertThat(j.memberId()).isEqualTo(oldId);
                }));
        assertThat(steps).filteredOn(Step.AddLearner.class::isInstance).singleElement()
                .satisfies(s -> assertThat(((Step.AddLearner) s).journal()).satisfies(j -> {
                    assertThat(j.ordinal()).isEqualTo(lost);
                    assertThat(j.peerUrl()).isEqualTo(peerUrl(lost));
                }));
        assertConverged(sim, 3);
        assertThat(sim.idAt(lost)).as("a new member ID under the same name").isNotEqualTo(oldId);
    }

    @Test
    void noScaleUpStartsWhileNospaceIsActiveButReplacementsAndScaleDownsGoOn() {
        Cluster full = Cluster.of(voter(0).leader(), voter(1), voter(2)).alarm("NOSPACE");
        assertThat(planner.next(full.desiring(4))).as("a new member during NOSPACE").isInstanceOfSatisfying(Step.Wait.class, w -> {
            assertThat(w.reason()).isEqualTo(ConditionReason.NoSpace);
            assertThat(w.message()).contains("scale-up to 4", "NOSPACE");
        });
        assertThat(planner.next(Cluster.of(voter(0).leader(), voter(1), voter(2)).desiring(4))).as("the same without the alarm")
                .isInstanceOf(Step.AddLearner.class);
        Journal replace = Journal.start(Operation.ReplaceMember, Phase.AddRequested, 2, peerUrl(2), 0, T0);
        assertThat(planner.next(Cluster.of(voter(0).leader(), voter(1)).alarm("NOSPACE").desiring(3, replace)))
                .as("a lost member's replacement restores redundancy, full database or not").isInstanceOf(Step.AddLearner.class);
        assertThat(planner.next(full.desiring(2))).as("a scale-down needs no space").isInstanceOf(Step.RemoveMember.class);
    }

    @Test
    void aLostVolumeOfTheOnlyMemberIsNeverReplaced() {
        PlanInput in = Cluster.of(voter(0).unhealthy()).podLostData(0).desiring(1);
        assertThat(planner.next(in)).isInstanceOf(Step.Blocked.class);
    }

    // ---------------------------------------------------------------- stuck learner

    @Test
    void aLearnerStuckPastTheDeadlineDuringScaleUpIsRolledBackAndItsOrdinalRetired() {
        SimulatedCluster sim = grownTo(1);
        sim.hangPod(1);
        List<Step> steps = new ArrayList<>();
        List<java.time.Instant> times = new ArrayList<>();
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

    // ---------------------------------------------------------------- membership rules (docs/architecture.md), one each

    @Test
    void invariant_atMostOneMembershipChangeInFlight() {
        Journal added = Journal.start(Operation.ScaleUp, Phase.MemberAdded, 3, peerUrl(3), idOf(3), T0);
        Cluster cluster = Cluster.of(voter(0).leader(), voter(1), voter(2), learner(3)).podLostData(1);
        assertThat(planner.next(cluster.desiring(5, added)))
                .as("the open scale-up finishes before anything else starts")
                .isEqualTo(new Step.PromoteLearner(idOf(3), 3));
    }

    @Test
    void invariant_noScaleUpOrRollingRestartStartsUnlessEveryVoterIsHealthy() {
        Cluster oneDown = Cluster.of(voter(0).leader(), voter(1), voter(2).unhealthy());
        for (int desired : new int[] {3, 5}) {
            assertThat(planner.next(oneDown.desiring(desired))).as("spec.replicas=" + desired)
                    .isInstanceOfSatisfying(Step.Wait.class, w -> assertThat(w.reason()).isEqualTo(ConditionReason.MemberUnhealthy));
        }
        Journal addRequested = Journal.start(Operation.ScaleUp, Phase.AddRequested, 3, peerUrl(3), 0, T0);
        assertThat(planner.next(oneDown.desiring(5, addRequested))).isInstanceOf(Step.Wait.class);
    }

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
    void invariant_noVoterIsRemovedWhenTheRemainingVotersCouldNotHoldQuorum() {
        Cluster oneDownOneLost = Cluster.of(voter(0).leader(), voter(1).unhealthy(), voter(2)).podLostData(2);
        assertThat(planner.next(oneDownOneLost.desiring(3)))
                .isInstanceOfSatisfying(Step.Wait.class, w -> assertThat(w.reason()).isEqualTo(ConditionReason.QuorumAtRisk));

        Journal removeRequested = Journal.start(Operation.ScaleDown, Phase.RemoveRequested, 2, peerUrl(2), idOf(2), T0);
        assertThat(planner.next(Cluster.of(voter(0).leader(), voter(1).unhealthy(), voter(2)).desiring(2, removeRequested)))
                .isInstanceOfSatisfying(Step.Wait.class, w -> assertThat(w.reason()).isEqualTo(ConditionReason.QuorumAtRisk));

        Journal lastOne = Journal.start(Operation.ScaleDown, Phase.RemoveRequested, 0, peerUrl(0), idOf(0), T0);
        assertThat(planner.next(Cluster.of(voter(0).leader()).desiring(0, lastOne))).isNotInstanceOf(Step.RemoveMember.class);
    }

    @Test
    void invariant_aNewMemberJoinsAsALearnerAndIsPromotedOnlyOnceStarted() {
        assertThat(planner.next(Cluster.of(voter(0).leader(), voter(1), voter(2)).desiring(5)))
                .isInstanceOfSatisfying(Step.AddLearner.class, a -> {
                    assertThat(a.journal().ordinal()).isEqualTo(3);
                    assertThat(a.journal().peerUrl()).isEqualTo(peerUrl(3));
                    assertThat(a.journal().phase()).isEqualTo(Phase.AddRequested);
                });
        Journal added = Journal.start(Operation.ScaleUp, Phase.MemberAdded, 3, peerUrl(3), idOf(3), T0);
        assertThat(planner.next(Cluster.of(voter(0).leader(), voter(1), voter(2), learner(3).notStarted()).desiring(5, added)))
                .isInstanceOfSatisfying(Step.Wait.class, w -> assertThat(w.reason()).isEqualTo(ConditionReason.LearnerStarting));
        assertThat(planner.next(Cluster.of(voter(0).leader(), voter(1), voter(2), learner(3)).desiring(5, added)))
                .isEqualTo(new Step.PromoteLearner(idOf(3), 3));
    }

    @Test
    void invariant_statefulSetReplicasFollowTheRecordedMembershipNotSpecReplicas() {
        Cluster three = Cluster.of(voter(0).leader(), voter(1), voter(2));
        assertThat(planner.next(three.desiring(5))).as("grow: learner first, not a jump to 5 pods").isInstanceOf(Step.AddLearner.class);
        assertThat(planner.next(three.desiring(1))).as("shrink: member removal first, not fewer pods").isInstanceOf(Step.RemoveMember.class);
        Journal added = Journal.start(Operation.ScaleUp, Phase.MemberAdded, 3, peerUrl(3), idOf(3), T0);
        assertThat(planner.next(Cluster.of(voter(0).leader(), voter(1), voter(2), learner(3).notStarted()).statefulSetReplicas(3)
                .desiring(9, added))).isEqualTo(new Step.StartMember(3, 4));
        assertThat(planner.next(three.statefulSetReplicas(5).desiring(3))).as("a pod without a member is retired, under a journal of its own")
                .isEqualTo(new Step.RetireOrdinal(4, 4, Optional.of(Journal.start(Operation.RetirePod, Phase.MemberRemoved, 4, "", 0, T0))));
    }

    @Test
    void invariant_scaleDownRemovesTheHighestOrdinalMovingLeadershipAwayFirst() {
        assertThat(planner.next(Cluster.of(voter(0).leader(), voter(1), voter(2)).desiring(2)))
                .isInstanceOfSatisfying(Step.RemoveMember.class, r -> {
                    assertThat(r.journal().memberId()).isEqualTo(idOf(2));
                    assertThat(r.journal().operation()).isEqualTo(Operation.ScaleDown);
                });
        assertThat(planner.next(Cluster.of(voter(0), voter(1), voter(2).leader()).desiring(2)))
                .isInstanceOfSatisfying(Step.MoveLeader.class, m -> {
                    assertThat(m.fromId()).isEqualTo(idOf(2));
                    assertThat(m.toId()).isIn(idOf(0), idOf(1));
                });
    }

    @Test
    void invariant_scaleDownRemovesThenRetiresThePodThenAppliesTheVolumePolicy() {
        Journal removed = Journal.start(Operation.ScaleDown, Phase.MemberRemoved, 2, peerUrl(2), 0, T0);
        Cluster afterRemove = Cluster.of(voter(0).leader(), voter(1)).statefulSetReplicas(3)
                .pod(new PodState(2, false, false, false, true, false));
        assertThat(planner.next(afterRemove.desiring(2, removed))).isEqualTo(new Step.RetireOrdinal(2, 2));
        Cluster podTerminating = Cluster.of(voter(0).leader(), voter(1)).pod(new PodState(2, false, true, false, true, false));
        assertThat(planner.next(podTerminating.desiring(2, removed))).isInstanceOf(Step.Wait.class);
        assertThat(planner.next(Cluster.of(voter(0).leader(), voter(1)).desiring(2, removed))).isEqualTo(new Step.ReleaseVolume(2));
    }

    @Test
    void aVoterWhoseUrlAnEtcdOnAnEarlierMembersDataAnswersAtGetsANewPodSoThatTheBootstrapCheckRefusesThatData() {
        long earlier = 0xe2L;
        assertThat(planner.next(Cluster.of(voter(0).leader(), voter(1), voter(2).servedBy(earlier)).desiring(3)))
                .isInstanceOfSatisfying(Step.RestartPod.class, r -> {
                    assertThat(r.ordinal()).isEqualTo(2);
                    assertThat(r.purpose().condition()).isEqualTo(ConditionReason.ReplacingStaleMember);
                    assertThat(r.reason()).contains("runs as member e2, not as member " + Long.toHexString(idOf(2)), "never joined");
                });
        assertThat(planner.next(Cluster.of(voter(0).leader(), voter(1).unhealthy(), voter(2).servedBy(earlier)).desiring(3)))
                .as("never without quorum").isNotInstanceOf(Step.RestartPod.class);
    }

    @Test
    void aVoterWhoseEtcdKeepsFailingInPlaceGetsANewPodSoThatTheBootstrapCheckRunsAgain() {
        PodState crashLooping = new PodState(2, false, false, false, true, true);
        assertThat(planner.next(Cluster.of(voter(0).leader(), voter(1), voter(2).unhealthy()).pod(crashLooping).desiring(3)))
                .isEqualTo(new Step.RestartPod(2, MembershipPlanner.FAILING_IN_PLACE));
        // Never without quorum: then it only waits.
        assertThat(planner.next(Cluster.of(voter(0).leader(), voter(1).unhealthy(), voter(2).unhealthy()).pod(crashLooping).desiring(3)))
                .isNotInstanceOf(Step.RestartPod.class);
        // Two of five failing in place: the lower ordinal first, the other once no pod is terminating.
        Cluster twoOfFive = Cluster.of(voter(0).leader(), voter(1), voter(2), voter(3).unhealthy(), voter(4).unhealthy())
                .pod(new PodState(3, false, false, false, true, true)).pod(new PodState(4, false, false, false, true, true));
        assertThat(planner.next(twoOfFive.desiring(5))).isEqualTo(new Step.RestartPod(3, MembershipPlanner.FAILING_IN_PLACE));
        assertThat(planner.next(twoOfFive.pod(new PodState(3, false, true, false, true, true)).desiring(5)))
                .as("one pod at a time").isNotInstanceOf(Step.RestartPod.class);
        // Merely unhealthy (not restarting in place): waiting is enough.
        assertThat(planner.next(Cluster.of(voter(0).leader(), voter(1), voter(2).unhealthy()).desiring(3)))
                .isInstanceOf(Step.Wait.class);
    }

    @Test
    void invariant_aMemberThatLostItsVolumeIsReplacedByIdUnderTheSameName() {
        Step step = planner.next(Cluster.of(voter(0).leader(), voter(1).unhealthy(), voter(2)).podLostData(1).desiring(3));
        assertThat(step).isInstanceOfSatisfying(Step.RemoveMember.class, r -> {
            assertThat(r.journal().operation()).isEqualTo(Operation.ReplaceMember);
            assertThat(r.journal().memberId()).isEqualTo(idOf(1));
            assertThat(r.journal().peerUrl()).isEqualTo(peerUrl(1));
        });
    }

    // ---------------------------------------------------------------- two lost in five

    @ParameterizedTest(name = "ordinals {0} and {1} lose their volumes (leader is 0)")
    @CsvSource({"1,2", "3,4", "2,4"})
    void twoLostVolumesInFiveAreBothReplacedOneAfterTheOther(int first, int second) {
        SimulatedCluster sim = grownTo(5);
        long firstId = sim.idAt(first);
        long secondId = sim.idAt(second);
        sim.loseVolume(first);
        sim.loseVolume(second);

        List<Step> steps = driveTo(sim, 5);

        assertThat(acting(steps)).as("each removed before either is added back: etcd adds a learner only while every voter is connected")
                .containsSubsequence("RemoveMember(" + first + ")", "RemoveMember(" + second + ")", "AddLearner(" + second + ")",
                        "PromoteLearner(" + second + ")", "AddLearner(" + first + ")", "PromoteLearner(" + first + ")");
        assertThat(steps).contains(new Step.RecordJournal(Optional.empty(), "AddDeferred"));
        assertConverged(sim, 5);
        assertThat(sim.idAt(first)).isNotEqualTo(firstId);
        assertThat(sim.idAt(second)).isNotEqualTo(secondId);
    }

    @Test
    void twoVolumesWipedUnderTheirRunningPodsInFiveAreBothReplaced() {
        SimulatedCluster sim = grownTo(5);
        long[] old = {sim.idAt(3), sim.idAt(4)};
        sim.wipeVolume(3);
        sim.wipeVolume(4);

        List<Step> steps = driveTo(sim, 5);

        assertThat(acting(steps)).containsSubsequence("RestartPod(3)", "RemoveMember(3)", "RestartPod(4)", "RemoveMember(4)");
        assertConverged(sim, 5);
        assertThat(new long[] {sim.idAt(3), sim.idAt(4)}).doesNotContain(old);
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

    // ---------------------------------------------------------------- driving the simulator

    private SimulatedCluster grownTo(int replicas) {
        SimulatedCluster sim = new SimulatedCluster();
        driveTo(sim, 1);
        driveTo(sim, replicas);
        return sim;
    }

    private Step planAndApply(SimulatedCluster sim, int desired) {
        PlanInput in = sim.input(desired);
        Step step = planner.next(in);
        MembershipInvariants.check(in, step);
        sim.apply(step);
        assertThat(sim.learners()).as("at most one learner: " + sim.describe()).isLessThanOrEqualTo(1);
        return step;
    }

    private List<Step> driveTo(SimulatedCluster sim, int desired) {
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < MAX_STEPS; i++) {
            PlanInput in = sim.input(desired);
            Step step = planner.next(in);
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

    private static void assertConverged(SimulatedCluster sim, int replicas) {
        Set<Integer> ordinals = IntStream.range(0, replicas).boxed().collect(Collectors.toSet());
        assertThat(sim.voterOrdinals()).as(sim.describe()).isEqualTo(ordinals);
        assertThat(sim.learners()).isZero();
        assertThat(sim.statefulSetReplicas()).isEqualTo(replicas);
        assertThat(sim.podOrdinals()).isEqualTo(ordinals);
        assertThat(sim.claims()).isEqualTo(ordinals);
        assertThat(sim.journal()).isEmpty();
        assertThat(sim.leaderOrdinal()).isBetween(0, replicas - 1);
    }

    private static int indexOf(List<Step> steps, Class<? extends Step> type) {
        return IntStream.range(0, steps.size()).filter(i -> type.isInstance(steps.get(i))).findFirst().orElseThrow();
    }

    /** The steps that change something, as short words; waits and bookkeeping are left out. */
    private static List<String> acting(List<Step> steps) {
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
