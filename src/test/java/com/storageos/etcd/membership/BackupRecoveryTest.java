package com.storageos.etcd.membership;

import static com.storageos.etcd.membership.Cluster.T0;
import static com.storageos.etcd.membership.Cluster.peerUrl;
import static com.storageos.etcd.membership.Cluster.voter;
import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.status.ConditionReason;
import com.storageos.etcd.membership.Journal.Operation;
import com.storageos.etcd.membership.Journal.Phase;
import com.storageos.etcd.toolcontract.BootstrapReport;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * Restore in place from a backup, step by step, and from every point an operator crash can leave it at: each step is
 * decided from the journal and what the pods and etcd show, so a replayed step finds its work done.
 */
class BackupRecoveryTest {
    private static final RecoveryRequest ASKED = RecoveryRequest.fromBackup("latest", Optional.of("PersistentVolumeClaim b"));
    private static final Journal RESTORING = Journal.start(Operation.RestoreFromBackup, Phase.SeedFromBackup, 0, peerUrl(0), 0, T0);
    private final MembershipPlanner planner = new MembershipPlanner();

    /** Every member's volume wiped: no member answers, the three pods crash-loop past their bootstrap. */
    private static Cluster allLost() {
        return Cluster.of(voter(0), voter(1), voter(2)).unreachable()
                .pod(pod(0, true, false)).pod(pod(1, true, false)).pod(pod(2, true, false)).recordedPods(3);
    }

    private static PodState pod(int ordinal, boolean initialized, boolean restored) {
        return new PodState(ordinal, false, false, false, true, false, false, initialized, new PodState.Restore(true, restored));
    }

    @Test
    void aRequestWhileQuorumHoldsIsRefusedAndNothingIsTouched() {
        Step step = planner.next(Cluster.of(voter(0).leader(), voter(1), voter(2)).requesting(3, Optional.empty(), ASKED));
        assertThat(step).isInstanceOfSatisfying(Step.RefuseRecovery.class, r ->
                assertThat(r.why()).contains("quorum holds (3 of 3 voters healthy)").contains("Nothing was changed")
                        .contains(RecoveryRequest.FORCE_PREFIX));
    }

    @Test
    void aForcedRequestRestoresEvenWhileQuorumHolds() {
        Step step = planner.next(Cluster.of(voter(0).leader(), voter(1), voter(2)).requesting(3, Optional.empty(),
                RecoveryRequest.fromBackup("force-latest", Optional.of("s3://b/"))));
        assertThat(step).isInstanceOf(Step.StartRestore.class);
    }

    @Test
    void aRequestWhileTheOperatorIsCutOffFromAMajorityIsRefused() {
        Cluster partitioned = Cluster.of(voter(0).leader(), voter(1).unhealthy(), voter(2).unhealthy()).podsReady(1, 2);
        assertThat(planner.next(partitioned.requesting(3, Optional.empty(), ASKED))).isInstanceOfSatisfying(Step.RefuseRecovery.class,
                r -> assertThat(r.why()).contains("cannot reach etcd-1, etcd-2").contains("Nothing was changed"));
    }

    @Test
    void aRestoreUnderWayAbortsWhenQuorumCameBackUnlessForced() {
        Cluster back = Cluster.of(voter(0).leader(), voter(1), voter(2));
        assertThat(planner.next(back.desiring(3, RESTORING))).isInstanceOf(Step.AbortRecovery.class);
        assertThat(planner.next(back.desiring(3, RESTORING.withForced(true)))).isInstanceOf(Step.RestartPod.class);
    }

    @Test
    void withoutABackupStoreThereIsNothingToRestoreFrom() {
        Step step = planner.next(allLost().requesting(3, Optional.empty(), RecoveryRequest.fromBackup("latest", Optional.empty())));
        assertThat(step).isInstanceOfSatisfying(Step.RefuseRecovery.class, r -> assertThat(r.why()).contains("no backup store"));
    }

    @Test
    void withQuorumLostTheRestoreStartsWithTheJournalOnMemberZero() {
        Step step = planner.next(allLost().requesting(3, Optional.empty(), ASKED));
        assertThat(step).isInstanceOfSatisfying(Step.StartRestore.class, s -> {
            assertThat(s.journal()).isEqualTo(RESTORING);
            assertThat(s.request().backup()).isEqualTo("latest");
        });
    }

    @Test
    void theOtherPodsRestartFirstThenMemberZeroWhichRestores() {
        assertThat(planner.next(allLost().desiring(3, RESTORING))).isEqualTo(new Step.RestartPod(1, BackupRecovery.RESTART_OTHER));
        Cluster othersGone = allLost().pod(pod(1, false, false)).pod(pod(2, false, false));
        assertThat(planner.next(othersGone.desiring(3, RESTORING))).isEqualTo(new Step.RestartPod(0, BackupRecovery.RESTART_SEED));
        Cluster terminating = othersGone.pod(new PodState(0, false, true, false, true, false, false, true, PodState.Restore.NONE));
        assertThat(planner.next(terminating.desiring(3, RESTORING))).isInstanceOf(Step.Wait.class);
    }

    @Test
    void aPodStuckInItsBootstrapWithoutTheBackupSourceIsRestartedOnlyThen() {
        Cluster stale = allLost().pod(pod(1, false, false)).pod(pod(2, false, false))
                .pod(new PodState(0, false, false, true, true, false, false, false, PodState.Restore.NONE));
        assertThat(planner.next(stale.desiring(3, RESTORING))).isEqualTo(new Step.RestartPod(0, BackupRecovery.RESTART_SEED));
        Cluster restoring = stale.pod(pod(0, false, false));
        assertThat(planner.next(restoring.desiring(3, RESTORING))).as("its bootstrap is restoring").isInstanceOf(Step.Wait.class);
    }

    /** A crash after member 0 restored: it is never restarted again (that would restore twice), and the journal closes. */
    @Test
    void memberZeroRunningAloneOnTheRestoredBackupClosesTheJournal() {
        Cluster restored = Cluster.of(voter(0).leader()).pod(pod(0, true, true)).pod(pod(1, false, false)).pod(pod(2, false, false))
                .statefulSetReplicas(3).claims(0, 1, 2);
        assertThat(planner.next(restored.desiring(3, RESTORING))).isInstanceOfSatisfying(Step.RecoveryProgress.class, p -> {
            assertThat(p.next()).isEmpty();
            assertThat(p.reason()).isEqualTo(BackupRecovery.RESTORE_COMPLETED);
        });
        Cluster starting = Cluster.of(voter(0).unhealthy()).pod(pod(0, true, true)).pod(pod(1, false, false)).statefulSetReplicas(3);
        assertThat(planner.next(starting.desiring(3, RESTORING))).isInstanceOf(Step.Wait.class);
    }

    @Test
    void aNewRequestWaitsWhileARestoreIsInFlight() {
        Step step = planner.next(allLost().pod(pod(1, false, false)).pod(pod(2, false, false)).pod(pod(0, false, false))
                .requesting(3, Optional.of(RESTORING), RecoveryRequest.of("1")));
        assertThat(step).isInstanceOf(Step.Wait.class);
    }

    @Test
    void aRestoreThatCannotFinishIsReplacedByANewRestoreRequest() {
        Cluster stuck = allLost().pod(pod(1, false, false)).pod(pod(2, false, false)).pod(pod(0, false, false));
        Step step = planner.next(stuck.requesting(3, Optional.of(RESTORING),
                RecoveryRequest.fromBackup("etcd-20261201T100000Z.snapshot.db", Optional.of("s3://b/"))));
        assertThat(step).isInstanceOfSatisfying(Step.StartRestore.class,
                s -> assertThat(s.request().backup()).isEqualTo("etcd-20261201T100000Z.snapshot.db"));
    }

    @Test
    void theRepeatSuffixAsksForTheSameBackupAgain() {
        RecoveryRequest again = RecoveryRequest.fromBackup("etcd-20261201T100000Z.snapshot.db#2", Optional.of("s3://b/"));
        assertThat(again.backup()).isEqualTo("etcd-20261201T100000Z.snapshot.db");
        assertThat(again.force()).isFalse();
    }

    @Test
    void aTargetThatCannotBeReadIsRefusedBeforeAnythingIsTouched() {
        Step step = planner.next(allLost().requesting(3, Optional.empty(), RecoveryRequest.fromBackup("force-yesterday#2", Optional.of("s3://b/"))));
        assertThat(step).isInstanceOfSatisfying(Step.RefuseRecovery.class, r ->
                assertThat(r.why()).contains("'yesterday' is none of").contains("revision:N").contains("nothing was changed"));
    }

    @Test
    void aRevisionOrATimeIsRestoredFrom35OnAndRefusedFor34() {
        RecoveryRequest revision = RecoveryRequest.fromBackup("revision:1200#1", Optional.of("s3://b/"));
        assertThat(planner.next(allLost().requesting(3, Optional.empty(), revision))).isInstanceOfSatisfying(Step.StartRestore.class,
                s -> assertThat(s.request().backup()).isEqualTo("revision:1200"));
        RecoveryRequest on34 = RecoveryRequest.fromBackup("2026-12-07T15:04:05Z", Optional.of("s3://b/"), true);
        assertThat(planner.next(allLost().requesting(3, Optional.empty(), on34))).isInstanceOfSatisfying(Step.RefuseRecovery.class,
                r -> assertThat(r.why()).contains("etcd 3.4 restores full snapshots only"));
        assertThat(planner.next(allLost().requesting(3, Optional.empty(), RecoveryRequest.fromBackup("latest", Optional.of("s3://b/"), true))))
                .as("latest on 3.4: its newest snapshot").isInstanceOf(Step.StartRestore.class);
    }

    @Test
    void aRestoreMemberZerosBootstrapRefusedBlocksWithAReasonOfItsOwn() {
        PodState refused = new PodState(0, false, false, false, true, false, false, false, new PodState.Restore(true, false, Optional.empty(),
                Optional.of("RestoreRefused: cannot restore revision 9: no backup's chain reaches back to revision 9")));
        Cluster waiting = allLost().pod(pod(1, false, false)).pod(pod(2, false, false)).pod(refused);
        assertThat(planner.next(waiting.desiring(3, RESTORING))).isInstanceOfSatisfying(Step.Blocked.class, b -> {
            assertThat(b.reason()).isEqualTo(ConditionReason.RestoreRefused);
            assertThat(b.message()).contains("member 0 cannot restore: RestoreRefused: cannot restore revision 9");
        });
    }

    @Test
    void aReplayThatStoppedShortClosesTheJournalSayingWhatWasNotRecovered() {
        var partial = new BootstrapReport.Recovered(OptionalLong.of(846), false,
                "replayed its chain to revision 846; revisions 847..2815 were not recovered: chunk x fails its SHA-256 checksum");
        PodState restored = new PodState(0, true, false, false, true, false, false, true, new PodState.Restore(true, true,
                Optional.of(partial), Optional.empty()));
        Cluster alone = Cluster.of(voter(0).leader()).pod(restored).pod(pod(1, false, false)).pod(pod(2, false, false))
                .statefulSetReplicas(3).claims(0, 1, 2);
        assertThat(planner.next(alone.desiring(3, RESTORING))).isInstanceOfSatisfying(Step.RecoveryProgress.class, p -> {
            assertThat(p.reason()).isEqualTo(BackupRecovery.RESTORE_INCOMPLETE);
            assertThat(p.message()).contains("revisions 847..2815 were not recovered");
            assertThat(p.recovered()).contains(partial);
        });
    }
}
