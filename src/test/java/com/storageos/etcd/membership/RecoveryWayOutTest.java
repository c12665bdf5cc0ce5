package com.storageos.etcd.membership;

import static com.storageos.etcd.membership.Cluster.T0;
import static com.storageos.etcd.membership.Cluster.idOf;
import static com.storageos.etcd.membership.Cluster.peerUrl;
import static com.storageos.etcd.membership.Cluster.voter;
import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.status.ConditionReason;
import com.storageos.etcd.membership.Journal.Operation;
import com.storageos.etcd.membership.Journal.Phase;
import com.storageos.etcd.naming.RequestAnnotations;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A recovery that cannot finish is never a dead end: while it waits for a survivor that does not start, a new survivor
 * request chooses another survivor where one still answers, a restore from a backup supersedes it, and an abort closes
 * it; each superseding request passes the same quorum guards as a first one. The survivor's wait has a deadline.
 */
class RecoveryWayOutTest {
    private final MembershipPlanner planner = new MembershipPlanner();

    /** The recovery chose etcd-2 (the most advanced then); its volume was lost since, and its bootstrap reports it. */
    private static Journal fromTwo() {
        return Journal.start(Operation.RecoverFromSurvivor, Phase.ForceNewCluster, 2, peerUrl(2), idOf(2), T0);
    }

    /** etcd-0 still runs on its data without quorum and answers its status call; etcd-1 is down; etcd-2 lost its volume. */
    private static Cluster twoLostZeroLeft() {
        return Cluster.of(voter(0).withoutQuorum(420), voter(1).unhealthy(), voter(2).unhealthy()).podLostData(2);
    }

    /** Nothing answers: every member's data is gone or moved aside. */
    private static Cluster noSurvivorLeft() {
        return Cluster.of(voter(0).unhealthy(), voter(1).unhealthy(), voter(2).unhealthy()).podLostData(0).podLostData(1).podLostData(2);
    }

    private static RecoveryRequest backup(String value) {
        return RecoveryRequest.fromBackup(value, Optional.of("pvc:etcd-backups"));
    }

    @Test
    void aSurvivorWhoseVolumeWasLostAfterItWasChosenStopsTheRecoveryWithWhy() {
        assertThat(planner.next(twoLostZeroLeft().desiring(3, fromTwo()))).isInstanceOfSatisfying(Step.Blocked.class, b -> {
            assertThat(b.reason()).isEqualTo(ConditionReason.SurvivorNotStarting);
            assertThat(b.message()).contains("etcd-2").contains("no data any more").contains("Nothing more is touched");
        });
    }

    @Test
    void aNewSurvivorRequestChoosesAnotherSurvivorWhereOneIsLeftAndReplacesTheJournal() {
        Step step = planner.next(twoLostZeroLeft().requesting(3, Optional.of(fromTwo()), RecoveryRequest.of("again")));
        assertThat(step).isInstanceOfSatisfying(Step.StartRecovery.class, s -> {
            assertThat(s.survivor()).isEqualTo("etcd-0");
            assertThat(s.journal().memberId()).isEqualTo(idOf(0));
            assertThat(s.journal().ordinal()).isZero();
            assertThat(s.journal().phase()).isEqualTo(Phase.ForceNewCluster);
            assertThat(s.supersedes()).hasValueSatisfying(old -> assertThat(old).contains("etcd-2"));
        });
    }

    @Test
    void aNewSurvivorRequestWithNoSurvivorLeftIsRefusedAndTheRecoveryGoesOn() {
        Step step = planner.next(noSurvivorLeft().requesting(3, Optional.of(fromTwo()), RecoveryRequest.of("again")));
        assertThat(step).isInstanceOfSatisfying(Step.RefuseRecovery.class, r -> assertThat(r.why())
                .contains("restore from a backup").contains("the recovery from").contains("goes on as it was"));
    }

    @Test
    void theSameSurvivorAskedForAgainIsRefusedNotRestarted() {
        Cluster twoStillBest = Cluster.of(voter(0).withoutQuorum(420), voter(1).unhealthy(), voter(2).withoutQuorum(455));
        assertThat(planner.next(twoStillBest.requesting(3, Optional.of(fromTwo()), RecoveryRequest.of("again"))))
                .isInstanceOfSatisfying(Step.RefuseRecovery.class, r -> assertThat(r.why()).contains("etcd-2 is still the most advanced"));
    }

    @Test
    void aRestoreFromABackupSupersedesASurvivorRecovery() {
        Step step = planner.next(noSurvivorLeft().requesting(3, Optional.of(fromTwo()), backup("latest")));
        assertThat(step).isInstanceOfSatisfying(Step.StartRestore.class, r -> {
            assertThat(r.journal().operation()).isEqualTo(Operation.RestoreFromBackup);
            assertThat(r.supersedes()).isPresent();
        });
    }

    @Test
    void noSupersedingRequestForksAClusterThatHasQuorum() {
        // The survivor already runs alone, forced: a one-member cluster with quorum. Neither request may replace it unforced.
        Cluster alone = Cluster.of(voter(2).leader()).podLostData(0).podLostData(1)
                .pod(new PodState(2, true, false, false, true, false, true, true)).statefulSetReplicas(3).claims(0, 1, 2);
        assertThat(planner.next(alone.requesting(3, Optional.of(fromTwo()), backup("latest"))))
                .isInstanceOfSatisfying(Step.RefuseRecovery.class, r -> assertThat(r.why()).contains("quorum holds"));
        assertThat(planner.next(alone.requesting(3, Optional.of(fromTwo()), RecoveryRequest.of("again"))))
                .isInstanceOfSatisfying(Step.RefuseRecovery.class, r -> assertThat(r.why()).contains("quorum holds"));
        // Nor while the operator cannot confirm that quorum is lost.
        Cluster unconfirmed = Cluster.of(voter(0).leader(), voter(1).unhealthy(), voter(2).unhealthy()).podsReady(0);
        assertThat(planner.next(unconfirmed.requesting(3, Optional.of(fromTwo()), RecoveryRequest.of("again"))))
                .isInstanceOf(Step.RefuseRecovery.class);
    }

    @Test
    void anAbortRequestClosesTheRecoveryInProgressAndIsRecordedAsHandled() {
        RecoveryRequest abort = RecoveryRequest.abort("1700000000");
        assertThat(planner.next(noSurvivorLeft().requesting(3, Optional.of(fromTwo()), abort))).isInstanceOfSatisfying(
                Step.AbortRecovery.class, a -> {
                    assertThat(a.request()).contains(abort);
                    assertThat(a.why()).contains(RequestAnnotations.ABORT_RECOVERY + "=1700000000").contains("nothing more is touched");
                });
        Journal restoring = Journal.start(Operation.RestoreFromBackup, Phase.SeedFromBackup, 0, peerUrl(0), 0, T0);
        assertThat(planner.next(noSurvivorLeft().requesting(3, Optional.of(restoring), abort))).isInstanceOf(Step.AbortRecovery.class);
    }

    @Test
    void anAbortWithNoRecoveryInProgressIsRefusedAndTouchesNothing() {
        assertThat(planner.next(noSurvivorLeft().requesting(3, Optional.empty(), RecoveryRequest.abort("1"))))
                .isInstanceOfSatisfying(Step.RefuseRecovery.class, r -> assertThat(r.why()).contains("nothing to abort"));
    }

    @Test
    void theWaitForTheSurvivorShowsItsDeadlineAndPastItTheRecoverySaysItIsStuck() {
        // etcd-2 runs forced but never gets to run alone (say it fails on damaged data): the others' pods are gone.
        Cluster waiting = Cluster.of(voter(0).unhealthy(), voter(1).unhealthy(), voter(2).unhealthy())
                .podLostData(0).podLostData(1).pod(new PodState(2, false, false, false, true, true, true, true));
        Step before = planner.next(waiting.at(T0.plus(PlanInput.SURVIVOR_DEADLINE)).desiring(3, fromTwo()));
        assertThat(before).isInstanceOfSatisfying(Step.Wait.class, w -> {
            assertThat(w.reason()).isEqualTo(ConditionReason.RecoveringFromSurvivor);
            assertThat(w.message()).contains("deadline " + T0.plus(PlanInput.SURVIVOR_DEADLINE));
        });
        Step after = planner.next(waiting.at(T0.plus(PlanInput.SURVIVOR_DEADLINE).plusSeconds(1)).desiring(3, fromTwo()));
        assertThat(after).isInstanceOfSatisfying(Step.Blocked.class, b -> {
            assertThat(b.reason()).isEqualTo(ConditionReason.SurvivorNotStarting);
            assertThat(b.message()).contains("within the survivor deadline of " + PlanInput.SURVIVOR_DEADLINE.toSeconds() + " s");
        });
    }
}
