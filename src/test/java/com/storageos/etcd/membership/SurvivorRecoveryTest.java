package com.storageos.etcd.membership;

import static com.storageos.etcd.membership.Cluster.T0;
import static com.storageos.etcd.membership.Cluster.idOf;
import static com.storageos.etcd.membership.Cluster.peerUrl;
import static com.storageos.etcd.membership.Cluster.voter;
import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.status.ConditionReason;
import com.storageos.etcd.membership.Journal.Operation;
import com.storageos.etcd.membership.Journal.Phase;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Recovery from the most advanced survivor, step by step, and from every point an operator crash can leave it at:
 * each step is decided from the journal and what the pods and etcd show, so a replayed step finds its work done.
 */
class SurvivorRecoveryTest {
    private static final RecoveryRequest ASKED = RecoveryRequest.of("1700000000");
    private final MembershipPlanner planner = new MembershipPlanner();

    /** Two of three members lost: etcd-0 and etcd-2 still run and answer their status call, etcd-1 is down. */
    private static Cluster quorumLost() {
        return Cluster.of(voter(0).withoutQuorum(420), voter(1).unhealthy(), voter(2).withoutQuorum(455));
    }

    private static Journal recovering(Phase phase) {
        return Journal.start(Operation.RecoverFromSurvivor, phase, 2, peerUrl(2), idOf(2), T0);
    }

    /** etcd after the forced start: only the survivor, healthy, a leader of one. */
    private static Cluster survivorAlone(boolean podForced) {
        return Cluster.of(voter(2).leader())
                .podLostData(0).podLostData(1)
                .pod(new PodState(2, true, false, false, true, false, podForced, true))
                .statefulSetReplicas(3).claims(0, 1, 2);
    }

    @Test
    void aRequestWhileQuorumHoldsIsRefusedWithWhyAndHowToForce() {
        Step step = planner.next(Cluster.of(voter(0).leader(), voter(1), voter(2)).requesting(3, Optional.empty(), ASKED));
        assertThat(step).isInstanceOfSatisfying(Step.RefuseRecovery.class, r -> {
            assertThat(r.request()).isEqualTo(ASKED);
            assertThat(r.why()).contains("quorum holds (3 of 3 voters healthy)").contains("Nothing was changed")
                    .contains(RecoveryRequest.FORCE_PREFIX);
        });
    }

    @Test
    void aForcedRequestRecoversEvenWhileQuorumHolds() {
        Step step = planner.next(Cluster.of(voter(0).leader(), voter(1), voter(2)).requesting(3, Optional.empty(),
                RecoveryRequest.of("force-1")));
        assertThat(step).isInstanceOf(Step.StartRecovery.class);
    }

    @Test
    void theSurvivorWithTheHighestRaftIndexIsChosenNeverOneThatDoesNotAnswer() {
        Step step = planner.next(quorumLost().requesting(3, Optional.empty(), ASKED));
        assertThat(step).isInstanceOfSatisfying(Step.StartRecovery.class, s -> {
            assertThat(s.journal()).isEqualTo(recovering(Phase.ForceNewCluster));
            assertThat(s.survivor()).isEqualTo("etcd-2");
            assertThat(s.raftIndex()).isEqualTo(455);
            assertThat(s.revision()).isEqualTo(227);
            assertThat(s.others()).containsExactly("etcd-0", "etcd-1");
        });
    }

    @Test
    void aRequestTakesOverAJournalThatQuorumLossLeftBlocked() {
        Journal stuck = Journal.start(Operation.ScaleUp, Phase.AddRequested, 3, peerUrl(3), 0, T0);
        assertThat(planner.next(quorumLost().requesting(5, Optional.of(stuck), ASKED))).isInstanceOf(Step.StartRecovery.class);
    }

    @Test
    void withNoMemberAnsweringThereIsNothingToRecoverFromAndNothingIsTouched() {
        Step step = planner.next(Cluster.of(voter(0).unhealthy(), voter(1).unhealthy(), voter(2).unhealthy())
                .requesting(3, Optional.empty(), ASKED));
        assertThat(step).isInstanceOfSatisfying(Step.RefuseRecovery.class, r -> assertThat(r.why()).contains("nothing was changed"));
    }

    /** The operator is cut off from etcd-1 and etcd-2; etcd-0 follows its leader and every pod is Ready. */
    private static Cluster partitionedFromTheOperator() {
        return Cluster.of(voter(0).leader(), voter(1).unhealthy(), voter(2).unhealthy()).podsReady(1, 2);
    }

    @Test
    void aRequestWhileTheOperatorIsCutOffFromAMajorityIsRefusedNamingWhomItCannotReach() {
        Step step = planner.next(partitionedFromTheOperator().requesting(3, Optional.empty(), ASKED));
        assertThat(step).isInstanceOfSatisfying(Step.RefuseRecovery.class, r -> assertThat(r.why())
                .contains("cannot reach etcd-1, etcd-2").contains("etcd-0 names leader etcd-0").contains("Nothing was changed")
                .contains(RecoveryRequest.FORCE_PREFIX));
        // Pods that are no longer Ready are not enough while a member the operator reaches still names a leader.
        Cluster podsDown = Cluster.of(voter(0).leader(), voter(1).unhealthy(), voter(2).unhealthy());
        assertThat(planner.next(podsDown.requesting(3, Optional.empty(), ASKED))).isInstanceOf(Step.RefuseRecovery.class);
        // Nor are members without a leader while a majority of pods still pass their readiness probe.
        Cluster podsUp = quorumLost().podsReady(0, 2);
        assertThat(planner.next(podsUp.requesting(3, Optional.empty(), ASKED))).isInstanceOf(Step.RefuseRecovery.class);
    }

    @Test
    void aRecoveryUnderWayAbortsBeforeItsNextDestructiveStepWhenQuorumCameBackUnlessForced() {
        Journal j = recovering(Phase.ForceNewCluster);
        Cluster back = Cluster.of(voter(0).leader(), voter(1), voter(2));
        assertThat(planner.next(back.desiring(3, j))).isInstanceOfSatisfying(Step.AbortRecovery.class,
                a -> assertThat(a.why()).contains("quorum came back").contains("not forced"));
        // etcd-0 already moved aside and waiting in its bootstrap; etcd-1 and etcd-2 hold quorum again.
        Cluster backWithOneAside = Cluster.of(voter(0).unhealthy(), voter(1).leader(), voter(2)).podLostData(0);
        assertThat(planner.next(backWithOneAside.desiring(3, j))).isInstanceOf(Step.AbortRecovery.class);
        assertThat(planner.next(back.desiring(3, j.withForced(true)))).isEqualTo(new Step.RestartPod(0, SurvivorRecovery.RESTART_OTHER));
    }

    @Test
    void aRecoveryUnderWayWaitsWhileTheOperatorCannotTell() {
        assertThat(planner.next(partitionedFromTheOperator().desiring(3, recovering(Phase.ForceNewCluster))))
                .isInstanceOfSatisfying(Step.Blocked.class, b -> assertThat(b.reason()).isEqualTo(ConditionReason.MembersUnreachable));
    }

    @Test
    void aForcedRequestIsJournaledAsForced() {
        Step step = planner.next(quorumLost().requesting(3, Optional.empty(), RecoveryRequest.of("force-2")));
        assertThat(step).isInstanceOfSatisfying(Step.StartRecovery.class, s -> assertThat(s.journal().forced()).isTrue());
    }

    @Test
    void theOtherMembersPodsRestartFirstSoThatTheirBootstrapMovesTheirDataAside() {
        Journal j = recovering(Phase.ForceNewCluster);
        assertThat(planner.next(quorumLost().desiring(3, j))).isEqualTo(new Step.RestartPod(0, SurvivorRecovery.RESTART_OTHER));
        Cluster zeroMovedAside = quorumLost().podLostData(0);
        assertThat(planner.next(zeroMovedAside.desiring(3, j))).isEqualTo(new Step.RestartPod(1, SurvivorRecovery.RESTART_OTHER));
        Cluster oneGoing = quorumLost().podLostData(0).pod(new PodState(1, false, true, false, true, false));
        assertThat(planner.next(oneGoing.desiring(3, j))).isInstanceOfSatisfying(Step.Wait.class,
                w -> assertThat(w.reason()).isEqualTo(ConditionReason.RecoveringFromSurvivor));
    }

    @Test
    void thenTheSurvivorRestartsAloneWithForceNewCluster() {
        Journal j = recovering(Phase.ForceNewCluster);
        Cluster othersAside = quorumLost().podLostData(0).podLostData(1);
        assertThat(planner.next(othersAside.desiring(3, j))).isEqualTo(new Step.RestartPod(2, SurvivorRecovery.RESTART_FORCED));
        Cluster forcedButNotAnsweringYet = othersAside.pod(new PodState(2, false, false, false, true, false, true, true));
        assertThat(planner.next(forcedButNotAnsweringYet.desiring(3, j))).isInstanceOf(Step.Wait.class);
    }

    @Test
    void aPodStillInItsBootstrapIsNotRestartedAgainItDecidesFromTheJournalAsItIsNow() {
        Journal j = recovering(Phase.ForceNewCluster);
        PodState zeroInInit = new PodState(0, false, false, false, true, false, false, false);
        PodState oneRetrying = new PodState(1, false, false, false, true, false, false, false);
        Cluster othersStarting = quorumLost().pod(zeroInInit).pod(oneRetrying);
        assertThat(planner.next(othersStarting.desiring(3, j))).isEqualTo(new Step.RestartPod(2, SurvivorRecovery.RESTART_FORCED));
        Cluster survivorStarting = othersStarting.pod(new PodState(2, false, false, false, true, false, false, false));
        assertThat(planner.next(survivorStarting.desiring(3, j))).isInstanceOfSatisfying(Step.Wait.class,
                w -> assertThat(w.reason()).isEqualTo(ConditionReason.RecoveringFromSurvivor));
    }

    @Test
    void onceItRunsAloneItRestartsOnceMoreWithoutTheFlagThenTheJournalCloses() {
        Step forced = planner.next(survivorAlone(true).desiring(3, recovering(Phase.ForceNewCluster)));
        assertThat(forced).isInstanceOfSatisfying(Step.RecoveryProgress.class, p -> {
            assertThat(p.reason()).isEqualTo("ForcedNewCluster");
            assertThat(p.next()).hasValueSatisfying(next -> assertThat(next.phase()).isEqualTo(Phase.ClearForceFlag));
        });
        Journal clearing = recovering(Phase.ClearForceFlag);
        assertThat(planner.next(survivorAlone(true).desiring(3, clearing)))
                .isEqualTo(new Step.RestartPod(2, SurvivorRecovery.RESTART_UNFORCED));
        assertThat(planner.next(survivorAlone(false).desiring(3, clearing))).isInstanceOfSatisfying(Step.RecoveryProgress.class, p -> {
            assertThat(p.reason()).isEqualTo("RecoveryCompleted");
            assertThat(p.next()).isEmpty();
        });
    }

    @Test
    void afterTheRecoveryTheLearnerLoopGrowsTheClusterBackAndRestartsTheMovedAsidePods() {
        Step add = planner.next(survivorAlone(false).desiring(3));
        assertThat(add).isInstanceOfSatisfying(Step.AddLearner.class, a -> assertThat(a.journal().ordinal()).isEqualTo(0));
        Journal added = Journal.start(Operation.ScaleUp, Phase.MemberAdded, 0, peerUrl(0), 0x500, T0);
        Cluster learnerAdded = Cluster.of(voter(2).leader(), Cluster.learner(0).id(0x500).notStarted())
                .podLostData(0).podLostData(1).statefulSetReplicas(3);
        assertThat(planner.next(learnerAdded.desiring(3, added))).isInstanceOfSatisfying(Step.RestartPod.class,
                r -> assertThat(r.ordinal()).isZero());
    }

    // An operator crash right after any journal write replays the decision from the same journal on a later view.

    @Test
    void aCrashAfterTheRequestWasRecordedResumesFromTheJournalNotTheRequest() {
        // The write that started the recovery also recorded the request as handled: no request is pending any more.
        assertThat(planner.next(quorumLost().desiring(3, recovering(Phase.ForceNewCluster))))
                .isEqualTo(new Step.RestartPod(0, SurvivorRecovery.RESTART_OTHER));
        // And a new request while one runs, with the same survivor still the most advanced, does not start another over it.
        assertThat(planner.next(quorumLost().requesting(3, Optional.of(recovering(Phase.ForceNewCluster)), RecoveryRequest.of("2"))))
                .isInstanceOf(Step.RefuseRecovery.class);
    }

    @Test
    void aCrashAfterTheForcedStartButBeforeItWasRecordedMovesOnWithoutForcingAgain() {
        assertThat(planner.next(survivorAlone(true).desiring(3, recovering(Phase.ForceNewCluster))))
                .isInstanceOf(Step.RecoveryProgress.class);
    }

    @Test
    void aCrashAfterTheUnforcedRestartButBeforeTheCloseClosesWithoutRestartingAgain() {
        assertThat(planner.next(survivorAlone(false).desiring(3, recovering(Phase.ClearForceFlag))))
                .isInstanceOfSatisfying(Step.RecoveryProgress.class, p -> assertThat(p.next()).isEmpty());
    }

    @Test
    void aSurvivorPodThatIsStillGoingIsWaitedForNotRestartedTwice() {
        Cluster going = survivorAlone(true).pod(new PodState(2, false, true, false, true, false, true, true));
        for (Phase phase : List.of(Phase.ForceNewCluster, Phase.ClearForceFlag)) {
            assertThat(planner.next(going.desiring(3, recovering(phase)))).isInstanceOf(Step.Wait.class);
        }
    }

    @Test
    void theRecordedPodsKeepEveryOrdinalDuringARecovery() {
        RecordedMembership recorded = new RecordedMembership(Set.of(0, 1, 2), 3);
        assertThat(recorded.podCount(Optional.of(recovering(Phase.ForceNewCluster)), Cluster::peerUrl)).isEqualTo(3);
    }
}
