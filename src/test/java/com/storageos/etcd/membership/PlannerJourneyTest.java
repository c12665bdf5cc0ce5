package com.storageos.etcd.membership;

import static com.storageos.etcd.membership.Cluster.T0;
import static com.storageos.etcd.membership.Cluster.voter;
import static com.storageos.etcd.membership.SimulatorDriver.acting;
import static com.storageos.etcd.membership.SimulatorDriver.assertConverged;
import static com.storageos.etcd.membership.SimulatorDriver.driveTo;
import static com.storageos.etcd.membership.SimulatorDriver.grownTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.status.ConditionReason;
import com.storageos.etcd.membership.Journal.Operation;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Whole journeys through the planner: bootstrap, growth and shrinking, a recreated cluster, pods scaled away by hand. */
class PlannerJourneyTest {
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
        assertThat(steps).anySatisfy(s -> assertThat(s).isEqualTo(new Step.ClusterFormed()));
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
        assertThat(steps).contains(new Step.ClusterFormed());
        assertConverged(sim, 3);
        assertThat(List.of(sim.idAt(1), sim.idAt(2))).as("the old members, on their data").containsExactly(id1, id2);
        assertThat(sim.idAt(0)).as("member 0 replaced as a member that lost its data").isNotEqualTo(id0);
    }

    @Test
    void aNewClusterWhoseBootstrapRestoreMemberZeroRefusedIsBlockedWithTheBootstrapsReasonNotBootstrapping() {
        Journal journal = Journal.bootstrap(0, Set.of(), T0);
        Cluster starting = Cluster.empty().claims(0).statefulSetReplicas(1).unreachable();
        assertThat(planner.next(starting.input(3, Optional.of(journal), false))).as("member 0 not done yet")
                .isInstanceOfSatisfying(Step.Wait.class, w -> assertThat(w.reason()).isEqualTo(ConditionReason.Bootstrapping));
        PodState refused = new PodState(0, false, false, false, true, false, false, false, new PodState.Restore(true, false, Optional.empty(),
                Optional.of("RestoreRefused: cannot restore revision 9: no backup's chain reaches back to revision 9")));
        assertThat(planner.next(starting.pod(refused).input(3, Optional.of(journal), false))).isInstanceOfSatisfying(Step.Blocked.class, b -> {
            assertThat(b.reason()).isEqualTo(ConditionReason.RestoreRefused);
            assertThat(b.message()).isEqualTo("member 0 cannot restore spec.bootstrap.restore: RestoreRefused: cannot restore revision 9:"
                    + " no backup's chain reaches back to revision 9");
        });
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
}
