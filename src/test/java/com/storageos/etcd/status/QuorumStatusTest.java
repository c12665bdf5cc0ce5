package com.storageos.etcd.status;

import static com.storageos.etcd.membership.Cluster.T0;
import static com.storageos.etcd.membership.Cluster.voter;
import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.status.BackupStatus;
import com.storageos.etcd.api.v1alpha1.status.ConditionReason;
import com.storageos.etcd.api.v1alpha1.status.EtcdClusterStatus;
import com.storageos.etcd.membership.Cluster;
import com.storageos.etcd.membership.ClusterObservation;
import com.storageos.etcd.membership.Journal;
import com.storageos.etcd.membership.MembershipPlanner;
import com.storageos.etcd.membership.Step;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The status while quorum is lost or at risk, during a recovery or restore, and what it advises. */
class QuorumStatusTest extends StatusComputerFixture {
    @Test
    void aStatusWithoutTheClusterIdGetsEtcdsWheneverEtcdAnswersAndNeverAnother() {
        ClusterObservation c = CONVERGED;
        ClusterObservation answering = new ClusterObservation(c.etcdReachable(), c.members(), c.pods(), c.statefulSetReplicas(),
                c.claimOrdinals(), c.alarms(), 0xc1a5, c.now(), "", Optional.empty());
        EtcdClusterStatus s = compute(3, answering, new Step.Converged());
        assertThat(s.getClusterId()).as("restored without its status").isEqualTo("c1a5");

        ClusterObservation other = new ClusterObservation(c.etcdReachable(), c.members(), c.pods(), c.statefulSetReplicas(),
                c.claimOrdinals(), c.alarms(), 0xbad, c.now(), "", Optional.empty());
        at(T0).apply(new StatusInput("etcd", 3, GENERATION, other, new Step.Converged(), null, null, "sel"), s);
        assertThat(s.getClusterId()).isEqualTo("c1a5");
    }

    @Test
    void quorumLostNamesBothRequestsWithTheSurvivorsTheNewestBackupsAgeAndTheCommand() {
        ClusterObservation obs = Cluster.of(voter(0).withoutQuorum(420), voter(1).unhealthy(), voter(2).withoutQuorum(455)).observation();
        EtcdClusterStatus s = new EtcdClusterStatus();
        var backup = new BackupStatus();
        backup.setTime(T0.minus(Duration.ofMinutes(95)).toString());
        backup.setRevision(180L);
        s.setLastBackup(backup);
        at(T0).apply(new StatusInput("storageos-etcd", 3, GENERATION, obs, new Step.Blocked(ConditionReason.QuorumLost, "1 of 3 voters are healthy"),
                null, null, "sel"), s);
        assertCondition(s, Conditions.AVAILABLE, "False", "QuorumLost");
        assertThat(condition(s, Conditions.AVAILABLE).getMessage())
                .contains("most advanced survivor, etcd-2")
                .contains("etcd-0 raft index 420 revision 210, etcd-2 raft index 455 revision 227; not answering: etcd-1")
                .contains("kubectl annotate etcdcluster/storageos-etcd etcd.storageos.com/recover-from-survivor=$(date +%s)")
                .contains("newest backup (taken 1 h 35 min ago, revision 180)")
                .contains("loses every write since")
                .contains("kubectl annotate etcdcluster/storageos-etcd etcd.storageos.com/restore-from-backup=latest")
                .contains("keeps its name, Services and StorageOS address")
                .contains("spec.bootstrap.restore.clusterName: storageos-etcd");
    }

    @Test
    void aRecoveryWaitingForItsSurvivorShowsItsDeadlineAndTheCommandsThatSupersedeOrAbortIt() {
        ClusterObservation obs = Cluster.of(voter(0).unhealthy(), voter(1).unhealthy(), voter(2).unhealthy()).observation();
        String annotate = "kubectl annotate etcdcluster/etcd --overwrite ";
        EtcdClusterStatus waiting = compute(3, obs, new Step.Wait(ConditionReason.RecoveringFromSurvivor,
                "waiting for etcd-2 to start alone with --force-new-cluster; deadline 2025-01-01T00:05:00Z", Duration.ofMillis(500)));
        assertCondition(waiting, Conditions.PROGRESSING, "True", "RecoveringFromSurvivor");
        assertThat(condition(waiting, Conditions.PROGRESSING).getMessage()).contains("deadline 2025-01-01T00:05:00Z")
                .contains(annotate + "etcd.storageos.com/recover-from-survivor=$(date +%s)")
                .contains(annotate + "etcd.storageos.com/restore-from-backup=latest")
                .contains(annotate + "etcd.storageos.com/abort-recovery=$(date +%s)");
        EtcdClusterStatus stuck = compute(3, obs, new Step.Blocked(ConditionReason.SurvivorNotStarting,
                "etcd-2, chosen to recover from, has not run alone within the survivor deadline of 300 s"));
        assertCondition(stuck, Conditions.DEGRADED, "True", "SurvivorNotStarting");
        assertCondition(stuck, Conditions.PROGRESSING, "True", "RecoveringFromSurvivor");
        assertCondition(stuck, Conditions.AVAILABLE, "False", "QuorumLost");
        assertThat(condition(stuck, Conditions.DEGRADED).getMessage()).contains("survivor deadline of 300 s")
                .contains(annotate + "etcd.storageos.com/abort-recovery=$(date +%s)");
    }

    @Test
    void aRestoreFromABackupInProgressSaysSo() {
        ClusterObservation obs = Cluster.of(voter(0).unhealthy(), voter(1).unhealthy(), voter(2).unhealthy()).unreachable().observation();
        EtcdClusterStatus s = compute(3, obs, new Step.Wait(ConditionReason.RestoringFromBackup, "waiting for member 0 to restore the backup and start",
                Duration.ofMillis(500)));
        assertCondition(s, Conditions.AVAILABLE, "False", "QuorumLost");
        assertThat(condition(s, Conditions.AVAILABLE).getMessage()).startsWith("restoring from a backup: waiting for member 0");
        assertCondition(s, Conditions.PROGRESSING, "True", "RestoringFromBackup");
    }

    @Test
    void aRestoreMemberZeroRefusedIsDegradedWithItsOwnReasonAndTheWaysOut() {
        ClusterObservation obs = Cluster.of(voter(0).unhealthy(), voter(1).unhealthy(), voter(2).unhealthy()).unreachable().observation();
        EtcdClusterStatus s = compute(3, obs, new Step.Blocked(ConditionReason.RestoreRefused,
                "member 0 cannot restore: RestoreRefused: cannot restore revision 9: no backup's chain reaches back to revision 9"));
        assertCondition(s, Conditions.DEGRADED, "True", "RestoreRefused");
        assertThat(condition(s, Conditions.DEGRADED).getMessage()).contains("no backup's chain reaches back to revision 9")
                .contains("etcd.storageos.com/restore-from-backup=").contains("etcd.storageos.com/abort-recovery=");
        assertCondition(s, Conditions.PROGRESSING, "True", "RestoringFromBackup");
        assertCondition(s, Conditions.AVAILABLE, "False", "QuorumLost");
        assertThat(condition(s, Conditions.AVAILABLE).getMessage()).startsWith("restoring from a backup: member 0 cannot restore");
    }

    @Test
    void aNewClusterWhoseBootstrapRestoreWasRefusedIsNotReadyDegradedAndNotProgressingWithTheBootstrapsReason() {
        ClusterObservation obs = Cluster.empty().claims(0).statefulSetReplicas(1).unreachable().observation();
        EtcdClusterStatus s = new EtcdClusterStatus();
        s.setPendingChange(PendingChanges.write(Journal.bootstrap(0, Set.of(), T0), null, null));
        String refused = "member 0 cannot restore spec.bootstrap.restore: RestoreRefused: cannot restore revision 9: no backup's chain"
                + " reaches back to revision 9";
        at(T0).apply(new StatusInput("etcd", 3, GENERATION, obs, new Step.Blocked(ConditionReason.RestoreRefused, refused), null, null, "sel"), s);
        assertCondition(s, Conditions.READY, "False", "RestoreRefused");
        assertCondition(s, Conditions.DEGRADED, "True", "RestoreRefused");
        assertCondition(s, Conditions.PROGRESSING, "False", "RestoreRefused");
        assertCondition(s, Conditions.AVAILABLE, "False", "RestoreRefused");
        assertThat(condition(s, Conditions.READY).getMessage()).isEqualTo("the cluster has not formed: " + refused);
        assertThat(condition(s, Conditions.DEGRADED).getMessage()).startsWith(refused).contains("delete etcdcluster/etcd and its claim data-etcd-0")
                .doesNotContain("restore-from-backup").doesNotContain("abort-recovery");
        assertThat(s.getProgress()).as("no restore claimed in progress").isNull();
    }

    @Test
    void aRecoveryInProgressSaysSoInsteadOfAdvisingOne() {
        ClusterObservation obs = Cluster.of(voter(0).withoutQuorum(420), voter(1).unhealthy(), voter(2).unhealthy()).observation();
        EtcdClusterStatus s = compute(3, obs, new Step.RestartPod(0,
                new Step.RestartPod.Purpose(ConditionReason.RecoveringFromSurvivor, "recovery from a survivor: restart alone with --force-new-cluster")));
        assertCondition(s, Conditions.AVAILABLE, "False", "QuorumLost");
        assertCondition(s, Conditions.PROGRESSING, "True", "RecoveringFromSurvivor");
        assertThat(condition(s, Conditions.AVAILABLE).getMessage()).startsWith("recovering from a survivor").doesNotContain("kubectl");
    }

    @Test
    void podsScaledAwayAreUnavailableDegradedAndRestoring() {
        ClusterObservation obs = Cluster.of(voter(0)).unreachable().observation();
        EtcdClusterStatus s = compute(3, obs, new Step.RestorePods(3, "restoring them on their volumes"));
        assertCondition(s, Conditions.AVAILABLE, "False", "QuorumLost");
        assertCondition(s, Conditions.DEGRADED, "True", "RestoringPods");
        assertCondition(s, Conditions.PROGRESSING, "True", "RestoringPods");
        assertThat(condition(s, Conditions.AVAILABLE).getMessage()).contains("restoring them on their volumes").doesNotContain("backup");
    }

    @Test
    void anOperatorCutOffFromTwoServingMembersSaysItCannotTellNamesThemAndOffersNoRecovery() {
        Cluster partitioned = Cluster.of(voter(0).leader(), voter(1).unhealthy(), voter(2).unhealthy()).podsReady(1, 2);
        Step step = new MembershipPlanner().next(partitioned.desiring(3));
        EtcdClusterStatus s = compute(3, partitioned.observation(), step);
        assertCondition(s, Conditions.AVAILABLE, Conditions.UNKNOWN, "MembersUnreachable");
        assertCondition(s, Conditions.DEGRADED, "True", "MembersUnreachable");
        assertCondition(s, Conditions.READY, "False", "MembersUnreachable");
        assertThat(condition(s, Conditions.AVAILABLE).getMessage()).contains("cannot reach etcd-1, etcd-2")
                .contains("etcd-0 names leader etcd-0").contains("3 of 3 voter pods Ready").doesNotContain("kubectl annotate");
        assertThat(ConditionTransitions.between(compute(3, CONVERGED, new Step.Converged()).getConditions(), s.getConditions()))
                .anySatisfy(n -> assertThat(n.reason()).isEqualTo("MembersUnreachable"));
    }

    @Test
    void quorumLostIsUnavailableAndDegraded() {
        ClusterObservation obs = Cluster.of(voter(0), voter(1).unhealthy(), voter(2).unhealthy()).observation();
        EtcdClusterStatus s = compute(3, obs, new Step.Blocked(ConditionReason.QuorumLost, "1 of 3 voters are healthy"));
        assertCondition(s, Conditions.AVAILABLE, "False", "QuorumLost");
        assertCondition(s, Conditions.DEGRADED, "True", "QuorumLost");
        assertCondition(s, Conditions.READY, "False", "QuorumLost");
        assertThat(condition(s, Conditions.AVAILABLE).getMessage()).contains("1 of 3 voters are healthy");
    }

    @Test
    void oneMoreFailureWouldLoseQuorumIsQuorumAtRisk() {
        ClusterObservation obs = Cluster.of(voter(0).leader(), voter(1), voter(2).unhealthy()).observation();
        EtcdClusterStatus s = compute(3, obs, new Step.Wait(ConditionReason.MemberUnhealthy, "voter etcd-2 is not healthy", Duration.ofMillis(500)));
        assertCondition(s, Conditions.AVAILABLE, "True", "QuorumHealthy");
        assertCondition(s, Conditions.DEGRADED, "True", "QuorumAtRisk");
        assertCondition(s, Conditions.READY, "False", "QuorumAtRisk");

        ClusterObservation fiveOneDown = Cluster.of(voter(0).leader(), voter(1), voter(2), voter(3), voter(4).unhealthy()).observation();
        assertCondition(compute(5, fiveOneDown, new Step.Wait(ConditionReason.MemberUnhealthy, "x", Duration.ZERO)),
                Conditions.DEGRADED, "True", "MemberUnhealthy");
    }
}
