package com.storageos.etcd.status;

import static com.storageos.etcd.membership.Cluster.T0;
import static com.storageos.etcd.membership.Cluster.clientUrl;
import static com.storageos.etcd.membership.Cluster.learner;
import static com.storageos.etcd.membership.Cluster.voter;
import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.spec.EtcdTuningSpec;
import com.storageos.etcd.api.v1alpha1.spec.StorageSpec;
import com.storageos.etcd.api.v1alpha1.status.BackupStatus;
import com.storageos.etcd.api.v1alpha1.status.ConditionReason;
import com.storageos.etcd.api.v1alpha1.status.EtcdClusterStatus;
import com.storageos.etcd.api.v1alpha1.status.MemberStatus;
import com.storageos.etcd.membership.Cluster;
import com.storageos.etcd.membership.ClusterObservation;
import com.storageos.etcd.membership.Journal;
import com.storageos.etcd.membership.MembershipPlanner;
import com.storageos.etcd.membership.PodState;
import com.storageos.etcd.membership.RestartOrder;
import com.storageos.etcd.membership.Step;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

class StatusComputerTest {
    private static final long GENERATION = 7;
    private static final ClusterObservation CONVERGED = Cluster.of(voter(0).leader(), voter(1), voter(2)).observation();

    private static StatusComputer at(Instant instant) {
        return new StatusComputer(Clock.fixed(instant, ZoneOffset.UTC));
    }

    private static EtcdClusterStatus compute(int desired, ClusterObservation obs, Step step) {
        EtcdClusterStatus status = new EtcdClusterStatus();
        at(T0).apply(new StatusInput("etcd", desired, GENERATION, obs, step, null, null, "sel"), status);
        return status;
    }

    private static Condition condition(EtcdClusterStatus status, String type) {
        return Conditions.find(status.getConditions(), type).orElseThrow(() -> new AssertionError(type + " missing"));
    }

    private static void assertCondition(EtcdClusterStatus status, String type, String value, String reason) {
        Condition c = condition(status, type);
        assertThat(c.getStatus()).as(type + " " + c.getMessage()).isEqualTo(value);
        assertThat(c.getReason()).as(type).isEqualTo(reason);
    }

    @Test
    void aConvergedClusterIsReadyAvailableNotProgressingNotDegraded() {
        EtcdClusterStatus s = compute(3, CONVERGED, new Step.Converged());
        assertCondition(s, Conditions.READY, "True", "ClusterReady");
        assertCondition(s, Conditions.AVAILABLE, "True", "QuorumHealthy");
        assertCondition(s, Conditions.PROGRESSING, "False", "Converged");
        assertCondition(s, Conditions.DEGRADED, "False", "AsExpected");
        assertThat(s.getConditions()).allSatisfy(c -> assertThat(c.getObservedGeneration()).isEqualTo(GENERATION));
        assertThat(s.getObservedGeneration()).isEqualTo(GENERATION);
    }

    @Test
    void aPodStuckTerminatingPastItsGracePeriodIsNamedWithTheCommandThatFreesIt() {
        PodState stuck = new PodState(2, false, true, false, false, false).withGraceEnds(T0.minusSeconds(300));
        ClusterObservation obs = Cluster.of(voter(0).leader(), voter(1), voter(2).unhealthy()).pod(stuck).observation();
        EtcdClusterStatus s = compute(3, obs, new Step.Wait(ConditionReason.RollingUpdate, "waiting for the pod of etcd-2 to stop",
                Duration.ofSeconds(1)));
        assertThat(condition(s, Conditions.PROGRESSING).getMessage()).contains("pod etcd-2 has been terminating for 300 s past its grace")
                .contains("kubectl delete pod etcd-2 --grace-period=0 --force");

        PodState stopping = stuck.withGraceEnds(T0.minusSeconds(10));
        EtcdClusterStatus fresh = compute(3, Cluster.of(voter(0).leader(), voter(1), voter(2).unhealthy()).pod(stopping).observation(),
                new Step.Wait(ConditionReason.RollingUpdate, "waiting for the pod of etcd-2 to stop", Duration.ofSeconds(1)));
        assertThat(condition(fresh, Conditions.PROGRESSING).getMessage()).as("still within a minute of its grace period")
                .doesNotContain("--force");
    }

    @Test
    void aFailedStepIsDegradedWithTheStepAndTheErrorAndTheClusterIsNotReady() {
        String error = "AddLearner of etcd-3 failed: etcd refused: member add failed: etcdserver: too many learner members in cluster";
        EtcdClusterStatus s = new EtcdClusterStatus();
        at(T0).apply(new StatusInput("etcd", 4, GENERATION, CONVERGED, new Step.Converged(), null, error, "sel"), s);
        assertCondition(s, Conditions.DEGRADED, "True", "StepFailed");
        assertThat(condition(s, Conditions.DEGRADED).getMessage()).isEqualTo(error);
        assertCondition(s, Conditions.READY, "False", "StepFailed");
        assertCondition(s, Conditions.AVAILABLE, "True", "QuorumHealthy");

        at(T0.plusSeconds(5)).apply(new StatusInput("etcd", 4, GENERATION, CONVERGED, new Step.Converged(), null, null, "sel"), s);
        assertCondition(s, Conditions.DEGRADED, "False", "AsExpected");
    }

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
    void nospaceIsReportedAsDegradedWhileQuorumStaysHealthy() {
        ClusterObservation c = CONVERGED;
        ClusterObservation full = new ClusterObservation(c.etcdReachable(), c.members(), c.pods(), c.statefulSetReplicas(),
                c.claimOrdinals(), Set.of("NOSPACE"), 0, c.now(), "", Optional.empty());
        EtcdClusterStatus s = compute(3, full, new Step.Converged());
        assertCondition(s, Conditions.AVAILABLE, "True", "QuorumHealthy");
        assertCondition(s, Conditions.DEGRADED, "True", "NoSpace");
        assertCondition(s, Conditions.READY, "False", "NoSpace");
    }

    @Test
    void pausedSaysSoInProgressingAndLeavesTheRestAsItWas() {
        EtcdClusterStatus s = compute(3, CONVERGED, new Step.Converged());
        at(T0.plusSeconds(60)).paused(GENERATION + 1, s);
        assertCondition(s, Conditions.PROGRESSING, "False", "Paused");
        assertThat(condition(s, Conditions.PROGRESSING).getObservedGeneration()).isEqualTo(GENERATION + 1);
        assertThat(condition(s, Conditions.PROGRESSING).getMessage()).contains("etcd.storageos.com/paused");
        assertCondition(s, Conditions.READY, "True", "ClusterReady");
        assertThat(condition(s, Conditions.READY).getObservedGeneration()).isEqualTo(GENERATION);
        assertThat(s.getObservedGeneration()).isEqualTo(GENERATION);
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
    void scalingUpShowsALearnerCatchingUp() {
        ClusterObservation obs = Cluster.of(voter(0).leader(), voter(1), voter(2), learner(3)).observation();
        EtcdClusterStatus s = compute(5, obs, new Step.PromoteLearner(Cluster.idOf(3), 3));
        assertCondition(s, Conditions.PROGRESSING, "True", "LearnerCatchingUp");
        assertCondition(s, Conditions.READY, "False", "LearnerCatchingUp");
        assertCondition(s, Conditions.AVAILABLE, "True", "QuorumHealthy");
        assertCondition(s, Conditions.DEGRADED, "False", "AsExpected");
        assertThat(s.getMembersSummary()).as("the MEMBERS column: healthy voters of spec.replicas, the learner not counted").isEqualTo("3/5");
    }

    @Test
    void aLearnerWhosePodHasNotStartedShowsLearnerStartingAsDocumented() {
        ClusterObservation obs = Cluster.of(voter(0).leader(), voter(1), voter(2), learner(3).notStarted()).observation();
        EtcdClusterStatus s = compute(5, obs, new Step.Wait(ConditionReason.LearnerStarting, "waiting for learner 103 to start", Duration.ofSeconds(5)));
        assertCondition(s, Conditions.PROGRESSING, "True", "LearnerStarting");
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

    @Test
    void bootstrappingIsProgressingAndNotYetAvailable() {
        ClusterObservation nothing = Cluster.empty().observation();
        Step bootstrap = new Step.Bootstrap(Journal.start(Journal.Operation.Bootstrap, Journal.Phase.Starting, 0, "", 0, T0), 1);
        EtcdClusterStatus s = compute(3, nothing, bootstrap);
        assertCondition(s, Conditions.AVAILABLE, "False", "Bootstrapping");
        assertCondition(s, Conditions.PROGRESSING, "True", "Bootstrapping");
        assertCondition(s, Conditions.READY, "False", "Bootstrapping");
        assertThat(s.getReadyReplicas()).isZero();
        assertThat(s.getMembersSummary()).isEqualTo("0/3");
    }

    @Test
    void lastTransitionTimeChangesOnlyWhenTheStatusChanges() {
        EtcdClusterStatus s = new EtcdClusterStatus();
        at(T0).apply(new StatusInput("etcd", 3, 1, CONVERGED, new Step.Converged(), null, null, "sel"), s);
        String readySince = condition(s, Conditions.READY).getLastTransitionTime();
        assertThat(readySince).isEqualTo(T0.toString());

        at(T0.plusSeconds(60)).apply(new StatusInput("etcd", 3, 2, CONVERGED, new Step.Converged(), null, null, "sel"), s);
        assertThat(condition(s, Conditions.READY).getLastTransitionTime()).isEqualTo(readySince);
        assertThat(condition(s, Conditions.READY).getObservedGeneration()).isEqualTo(2);

        ClusterObservation lost = Cluster.of(voter(0), voter(1).unhealthy(), voter(2).unhealthy()).observation();
        at(T0.plusSeconds(120)).apply(new StatusInput("etcd", 3, 2, lost, new Step.Blocked(ConditionReason.QuorumLost, "x"), null, null, "sel"), s);
        assertThat(condition(s, Conditions.READY).getLastTransitionTime()).isEqualTo(T0.plusSeconds(120).toString());
        assertThat(condition(s, Conditions.AVAILABLE).getLastTransitionTime()).isEqualTo(T0.plusSeconds(120).toString());
    }

    @Test
    void anEvenMemberCountIsWarnedAboutAndTheWarningGoesAwayForAnOddCount() {
        EtcdClusterStatus s = new EtcdClusterStatus();
        at(T0).apply(new StatusInput("etcd", 4, 1, CONVERGED, new Step.Converged(), null, null, "sel"), s);
        assertCondition(s, Conditions.EVEN_MEMBER_COUNT, "True", "EvenMemberCount");
        at(T0).apply(new StatusInput("etcd", 3, 2, CONVERGED, new Step.Converged(), null, null, "sel"), s);
        assertThat(Conditions.find(s.getConditions(), Conditions.EVEN_MEMBER_COUNT)).isEmpty();
    }

    @Test
    void aVolumeThatCannotHoldTheQuotaIsWarnedAboutUntilItGrows() {
        EtcdClusterStatus s = new EtcdClusterStatus();
        StorageSpec storage = new StorageSpec();
        storage.setSize("1Gi");
        EtcdTuningSpec etcd = new EtcdTuningSpec();

        at(T0).volumeFitsQuota(storage, etcd, 1, s);
        assertCondition(s, Conditions.QUOTA_EXCEEDS_VOLUME, "True", "QuotaExceedsVolume");
        assertThat(condition(s, Conditions.QUOTA_EXCEEDS_VOLUME).getMessage())
                .contains("spec.storage.size 1Gi cannot hold spec.etcd.quotaBackendBytes 8589934592").contains("at least 9Gi");
        storage.setSize("8Gi");
        at(T0).volumeFitsQuota(storage, etcd, 2, s);
        assertThat(Conditions.find(s.getConditions(), Conditions.QUOTA_EXCEEDS_VOLUME)).as("no room for the WAL").isPresent();

        storage.setSize("10Gi");
        at(T0).volumeFitsQuota(storage, etcd, 3, s);
        assertThat(Conditions.find(s.getConditions(), Conditions.QUOTA_EXCEEDS_VOLUME)).isEmpty();
        etcd.setQuotaBackendBytes(512L * 1024 * 1024);
        storage.setSize("1Gi");
        at(T0).volumeFitsQuota(storage, etcd, 4, s);
        assertThat(Conditions.find(s.getConditions(), Conditions.QUOTA_EXCEEDS_VOLUME)).as("a lowered quota fits").isEmpty();
    }

    @Test
    void membersRolesLeaderReadyReplicasAndClientEndpointsOfHealthyVotersOnly() {
        ClusterObservation obs = Cluster.of(voter(0).leader(), voter(1), voter(2).unhealthy(), learner(3)).observation();
        EtcdClusterStatus s = compute(3, obs, new Step.Converged());
        assertThat(s.getMembers()).extracting(MemberStatus::getName, MemberStatus::getRole, MemberStatus::getLeader, MemberStatus::getHealthy)
                .containsExactly(
                        Tuple.tuple("etcd-0", "Voter", true, true),
                        Tuple.tuple("etcd-1", "Voter", false, true),
                        Tuple.tuple("etcd-2", "Voter", false, false),
                        Tuple.tuple("etcd-3", "Learner", false, true));
        assertThat(s.getMembers().get(0).getId()).isEqualTo(Long.toHexString(Cluster.idOf(0)));
        assertThat(s.getReplicas()).isEqualTo(3);
        assertThat(s.getReadyReplicas()).isEqualTo(2);
        assertThat(s.getLeader()).isEqualTo("etcd-0");
        assertThat(s.getClientEndpoints()).containsExactly(clientUrl(0), clientUrl(1));
        assertThat(s.getSelector()).isEqualTo("sel");
    }

    // ---------------------------------------------------------------- rollouts and blocked scale-downs

    private static PodState stale(int ordinal, boolean ready) {
        return new PodState(ordinal, ready, false, false, false, false);
    }

    @Test
    void aRolloutWaitingForARestartedMemberIsProgressingNeverConverged() {
        // etcd-2 was restarted onto the new template and is not healthy yet; etcd-0 and etcd-1 still run the old one.
        ClusterObservation obs = Cluster.of(voter(0).leader(), voter(1), voter(2).unhealthy())
                .pod(stale(0, true)).pod(stale(1, true)).pod(new PodState(2, false, false, false, true, false)).observation();
        EtcdClusterStatus s = compute(3, obs, new Step.Wait(ConditionReason.MemberUnhealthy, "voter etcd-2 is not healthy", Duration.ofMillis(500)));
        assertCondition(s, Conditions.PROGRESSING, "True", "RollingUpdate");
        assertThat(condition(s, Conditions.PROGRESSING).getMessage()).contains("etcd-2 is not healthy", "1 of 3 members on the new template");
        assertCondition(s, Conditions.READY, "False", "QuorumAtRisk");
    }

    @Test
    void aRolloutSaysWhichPodRestartsAndHowManyAreLeft() {
        ClusterObservation obs = Cluster.of(voter(0).leader(), voter(1), voter(2)).pod(stale(0, true)).pod(stale(1, true)).observation();
        EtcdClusterStatus s = compute(3, obs, RestartOrder.next(obs).orElseThrow());
        assertCondition(s, Conditions.PROGRESSING, "True", "RollingUpdate");
        assertThat(condition(s, Conditions.PROGRESSING).getMessage()).contains("restarting the pod of etcd-1", "1 of 3 members on the new template");
        assertThat(s.getProgress()).singleElement().satisfies(p -> {
            assertThat(p.getOperation()).isEqualTo("Rollout");
            assertThat(p.getDone()).isEqualTo(1);
            assertThat(p.getTotal()).isEqualTo(3);
            assertThat(p.getUnit()).isEqualTo("Members");
        });
        assertCondition(s, Conditions.READY, "False", "RollingUpdate");

        ClusterObservation leaderLeft = Cluster.of(voter(0).leader(), voter(1), voter(2)).pod(stale(0, true)).observation();
        EtcdClusterStatus moving = compute(3, leaderLeft, RestartOrder.next(leaderLeft).orElseThrow());
        assertCondition(moving, Conditions.PROGRESSING, "True", "RollingUpdate");
        assertThat(condition(moving, Conditions.PROGRESSING).getMessage()).contains("moving leadership from etcd-0", "2 of 3 members on the new template");
        assertThat(moving.getProgress()).extracting(p -> p.getMessage()).containsExactly("2 of 3 members on the new template");
    }

    @Test
    void aScaleDownBlockedByAnUnhealthyMemberIsProgressingWithWhatBlocksIt() {
        ClusterObservation obs = Cluster.of(voter(0).leader(), voter(1).unhealthy(), voter(2)).observation();
        Step step = new MembershipPlanner().next(Cluster.of(voter(0).leader(), voter(1).unhealthy(), voter(2)).desiring(1));
        EtcdClusterStatus s = compute(1, obs, step);
        assertCondition(s, Conditions.PROGRESSING, "True", "QuorumAtRisk");
        assertThat(condition(s, Conditions.PROGRESSING).getMessage()).contains("removing etcd-2", "below quorum");
    }
}
