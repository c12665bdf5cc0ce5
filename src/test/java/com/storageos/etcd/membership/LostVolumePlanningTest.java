package com.storageos.etcd.membership;

import static com.storageos.etcd.membership.Cluster.T0;
import static com.storageos.etcd.membership.Cluster.peerUrl;
import static com.storageos.etcd.membership.Cluster.voter;
import static com.storageos.etcd.membership.SimulatorDriver.acting;
import static com.storageos.etcd.membership.SimulatorDriver.assertConverged;
import static com.storageos.etcd.membership.SimulatorDriver.driveTo;
import static com.storageos.etcd.membership.SimulatorDriver.grownTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.status.ConditionReason;
import com.storageos.etcd.membership.Journal.Operation;
import com.storageos.etcd.membership.Journal.Phase;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** A member that lost its volume is replaced by ID under the same name, one at a time. */
class LostVolumePlanningTest {
    private final MembershipPlanner planner = new MembershipPlanner();

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
}
