package com.storageos.etcd.status;

import static com.storageos.etcd.membership.Cluster.idOf;
import static com.storageos.etcd.membership.Cluster.voter;
import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.status.ConditionReason;
import com.storageos.etcd.api.v1alpha1.status.EtcdClusterStatus;
import com.storageos.etcd.api.v1alpha1.status.ProgressStatus;
import com.storageos.etcd.membership.Cluster;
import com.storageos.etcd.membership.ClusterObservation;
import com.storageos.etcd.membership.PodState;
import com.storageos.etcd.membership.Step;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/** status.progress and its figures in Progressing: only what the operator observed, another writer's entries left alone. */
class OperationProgressTest {
    private static final Step.Wait RESTORING = new Step.Wait(ConditionReason.RestoringFromBackup,
            "waiting for member 0 to restore the backup and start", Duration.ofMillis(500));

    private static EtcdClusterStatus compute(int desired, ClusterObservation obs, Step step, EtcdClusterStatus status) {
        new StatusComputer(Clock.fixed(Cluster.T0, ZoneOffset.UTC))
                .apply(new StatusInput("etcd", desired, 7, obs, step, null, null, "sel"), status);
        return status;
    }

    private static String progressing(EtcdClusterStatus s) {
        return Conditions.find(s.getConditions(), Conditions.PROGRESSING).orElseThrow().getMessage();
    }

    /** A learner answering its status call at {@code index}, the leader (voter 0) at 100. */
    private static Cluster.Member learnerAt(int ordinal, long index) {
        return new Cluster.Member(idOf(ordinal), ordinal, true, true, true, false, index, 0);
    }

    @Test
    void aLearnerCatchingUpShowsItsRaftIndexAgainstTheLeadersInTheStatusAndInProgressing() {
        ClusterObservation obs = Cluster.of(voter(0).leader(), voter(1), voter(2), learnerAt(3, 45)).observation();
        EtcdClusterStatus s = compute(4, obs, new Step.PromoteLearner(idOf(3), 3), new EtcdClusterStatus());
        assertThat(s.getProgress()).singleElement().satisfies(p -> {
            assertThat(p.getOperation()).isEqualTo("LearnerCatchUp");
            assertThat(p.getDone()).isEqualTo(45);
            assertThat(p.getTotal()).isEqualTo(100);
            assertThat(p.getUnit()).isEqualTo("RaftIndex");
            assertThat(p.getMessage()).isEqualTo("learner etcd-3 at raft index 45 of 100 (45%)");
        });
        assertThat(progressing(s)).contains("promoting learner etcd-3").contains("learner etcd-3 at raft index 45 of 100 (45%)");

        ClusterObservation further = Cluster.of(voter(0).leader(), voter(1), voter(2), learnerAt(3, 92)).observation();
        assertThat(compute(4, further, new Step.PromoteLearner(idOf(3), 3), s).getProgress()).singleElement()
                .satisfies(p -> assertThat(p.getMessage()).isEqualTo("learner etcd-3 at raft index 92 of 100 (92%)"));
    }

    @Test
    void aLearnerThatHasNotStartedOrDoesNotAnswerHasNoFigure() {
        ClusterObservation notStarted = Cluster.of(voter(0).leader(), voter(1), voter(2), Cluster.learner(3).notStarted()).observation();
        assertThat(compute(4, notStarted, new Step.StartMember(3, 4), new EtcdClusterStatus()).getProgress()).isNull();
        ClusterObservation silent = Cluster.of(voter(0).leader(), voter(1), voter(2), Cluster.learner(3).unhealthy()).observation();
        assertThat(compute(4, silent, new Step.PromoteLearner(idOf(3), 3), new EtcdClusterStatus()).getProgress()).isNull();
    }

    @Test
    void aRolloutCountsTheMembersOnTheNewTemplateAndTheEntryGoesWhenItEnds() {
        PodState old = new PodState(1, true, false, false, false, false);
        ClusterObservation rolling = Cluster.of(voter(0).leader(), voter(1), voter(2)).pod(old)
                .pod(new PodState(0, true, false, false, false, false)).observation();
        EtcdClusterStatus s = compute(3, rolling, new Step.RestartPod(1, "rolling out the new template"), new EtcdClusterStatus());
        assertThat(s.getProgress()).extracting(ProgressStatus::getOperation, ProgressStatus::getDone, ProgressStatus::getTotal,
                ProgressStatus::getUnit).containsExactly(Tuple.tuple("Rollout", 1L, 3L, "Members"));
        assertThat(progressing(s)).contains("1 of 3 members on the new template");

        assertThat(compute(3, Cluster.of(voter(0).leader(), voter(1), voter(2)).observation(), new Step.Converged(), s).getProgress())
                .as("converged: no entry of the operator's").isNull();
    }

    @Test
    void aRestoreGivesTheRestoredDatabaseOnlyOnceMemberZeroRunsOnIt() {
        ClusterObservation seeding = Cluster.of(voter(0).unhealthy()).unreachable()
                .pod(new PodState(0, false, false, false, true, false, false, false, new PodState.Restore(true, false))).observation();
        EtcdClusterStatus s = compute(3, seeding, RESTORING, new EtcdClusterStatus());
        assertThat(s.getProgress()).singleElement().satisfies(p -> {
            assertThat(p.getOperation()).isEqualTo("Restore");
            assertThat(p.getDone()).as("not observed yet").isNull();
            assertThat(p.getMessage()).isEqualTo("restoring the backup into etcd-0; the restored database's size is known once it runs on it");
        });
        assertThat(progressing(s)).contains("the restored database's size is known once it runs on it");

        ClusterObservation runs = Cluster.of(voter(0).leader())
                .pod(new PodState(0, true, false, false, true, false, false, true, new PodState.Restore(true, true))).observation();
        Step done = new Step.RecoveryProgress(Optional.empty(), ConditionReason.RestoringFromBackup, "RestoreCompleted", "etcd-0 runs");
        assertThat(compute(3, runs, done, s).getProgress()).singleElement().satisfies(p -> {
            assertThat(p.getDone()).isEqualTo(1000);
            assertThat(p.getUnit()).isEqualTo("Bytes");
            assertThat(p.getMessage()).isEqualTo("etcd-0 runs on the restored backup: a database of 1000 bytes");
        });
    }

    @Test
    void anotherWritersEntryIsKeptAndThePausedOperatorDropsOnlyItsOwn() {
        ProgressStatus backup = new ProgressStatus("Backup", null, 4096L, "Bytes", "snapshot of etcd-1 under way");
        backup.setUpdateTime(Cluster.T0.minusSeconds(30).toString());
        ProgressStatus learner = new ProgressStatus("LearnerCatchUp", 10L, 100L, "RaftIndex", "learner etcd-3 at raft index 10 of 100 (10%)");
        EtcdClusterStatus s = new EtcdClusterStatus();
        s.setProgress(new ArrayList<>(List.of(learner, backup)));
        ClusterObservation rolling = Cluster.of(voter(0).leader(), voter(1), voter(2))
                .pod(new PodState(2, true, false, false, false, false)).observation();
        compute(3, rolling, new Step.RestartPod(2, "rolling out the new template"), s);
        assertThat(s.getProgress()).extracting(ProgressStatus::getOperation).containsExactly("Backup", "Rollout");
        assertThat(progressing(s)).as("another writer's figures are not the operator's to tell").doesNotContain("snapshot");

        new StatusComputer(Clock.fixed(Cluster.T0, ZoneOffset.UTC)).paused(7, s);
        assertThat(s.getProgress()).containsExactly(backup);
    }

    @Test
    void aToolsEntryNotRewrittenForTwoMinutesIsOfADeadPodAndIsDropped() {
        ProgressStatus fresh = new ProgressStatus("Backup", 1L << 20, 4L << 20, "Bytes", "1.0 MiB of 4.0 MiB from etcd-1");
        fresh.setUpdateTime(Cluster.T0.minusSeconds(120).toString());
        ProgressStatus dead = new ProgressStatus("Defrag", 1L, 3L, "Members", "1 of 3 members defragmented");
        dead.setUpdateTime(Cluster.T0.minusSeconds(121).toString());
        ProgressStatus undated = new ProgressStatus("Other", null, null, null, "no update time");
        EtcdClusterStatus s = new EtcdClusterStatus();
        s.setProgress(new ArrayList<>(List.of(fresh, dead, undated)));
        compute(3, Cluster.of(voter(0).leader(), voter(1), voter(2)).observation(), new Step.Converged(), s);
        assertThat(s.getProgress()).containsExactly(fresh);
    }
}
