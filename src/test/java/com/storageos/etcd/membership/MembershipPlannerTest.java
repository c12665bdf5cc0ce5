package com.storageos.etcd.membership;

import static com.storageos.etcd.membership.Cluster.T0;
import static com.storageos.etcd.membership.Cluster.idOf;
import static com.storageos.etcd.membership.Cluster.learner;
import static com.storageos.etcd.membership.Cluster.peerUrl;
import static com.storageos.etcd.membership.Cluster.voter;
import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.status.ConditionReason;
import com.storageos.etcd.membership.Journal.Operation;
import com.storageos.etcd.membership.Journal.Phase;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The membership rules of docs/architecture.md, one test each, checked on the planner. */
class MembershipPlannerTest {
    private final MembershipPlanner planner = new MembershipPlanner();

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
}
