package com.storageos.etcd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.spec.BackupSpec;
import com.storageos.etcd.api.v1alpha1.spec.TlsSpec;
import com.storageos.etcd.api.v1alpha1.status.CaRotationStatus;
import com.storageos.etcd.api.v1alpha1.status.MigrationStatus;
import com.storageos.etcd.api.v1alpha1.status.ProgressStatus;
import com.storageos.etcd.api.v1alpha1.status.RecoveryStatus;
import com.storageos.etcd.api.v1alpha1.status.TlsStatus;
import com.storageos.etcd.desired.BackupRequest;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RequestProgressTest {

    @Test
    void aRecoveryIsFollowedByItsOwnValueToCompletedAndReady() {
        EtcdCluster c = StatusViewTest.cluster();
        assertThat(RequestProgress.recovery(c, "latest#1").state()).as("not taken yet").isEqualTo(Progress.State.WAITING);
        c.getStatus().setRecovery(recovery("latest#0", "Refused", "older request"));
        assertThat(RequestProgress.recovery(c, "latest#1").state()).as("another value's outcome").isEqualTo(Progress.State.WAITING);
        c.getStatus().setRecovery(recovery("latest#1", "InProgress", "member 0 restores the backup"));
        assertThat(RequestProgress.recovery(c, "latest#1")).isEqualTo(Progress.waiting("in progress: member 0 restores the backup"));
        c.getStatus().setRecovery(recovery("latest#1", "Completed", "restored latest"));
        assertThat(RequestProgress.recovery(c, "latest#1")).isEqualTo(Progress.waiting("completed, waiting for Ready (ScalingUp), members 3/5"));
        ready(c);
        assertThat(RequestProgress.recovery(c, "latest#1")).isEqualTo(Progress.done("completed: restored latest; Ready, members 3/5"));
    }

    @Test
    void aRefusedOrAbortedRecoveryFailsWithTheOperatorsReason() {
        EtcdCluster c = StatusViewTest.cluster();
        c.getStatus().setRecovery(recovery("latest#1", "Refused", "quorum holds (3 of 3 voters healthy)"));
        assertThat(RequestProgress.recovery(c, "latest#1")).isEqualTo(Progress.failed("refused: quorum holds (3 of 3 voters healthy)"));
        c.getStatus().setRecovery(recovery("latest#1", "Aborted", "quorum came back"));
        assertThat(RequestProgress.recovery(c, "latest#1").state()).isEqualTo(Progress.State.FAILED);
    }

    @Test
    void aBackupIsFollowedThroughItsJob() {
        EtcdCluster c = StatusViewTest.cluster();
        assertThat(RequestProgress.backup(c, "1", Optional.empty())).as("no spec.backup")
                .isEqualTo(Progress.failed("spec.backup is not set: the cluster has nowhere to write a backup"));
        c.getSpec().setBackup(new BackupSpec());
        assertThat(RequestProgress.backup(c, "1", Optional.of(job(null))).state()).as("not handled yet").isEqualTo(Progress.State.WAITING);
        c.getMetadata().setAnnotations(Map.of(BackupRequest.HANDLED_ANNOTATION, "1"));
        assertThat(RequestProgress.backup(c, "1", Optional.of(job(null)))).isEqualTo(Progress.waiting("backup Job kv-backup-now-1 running"));
        c.getStatus().setProgress(List.of(new ProgressStatus("Backup", 1L << 20, 4L << 20, "Bytes",
                "streaming a snapshot from kv-1: 1.0 MiB of about 4.0 MiB")));
        assertThat(RequestProgress.backup(c, "1", Optional.of(job(null)))).as("the tool's own progress entry")
                .isEqualTo(Progress.waiting("backup Job kv-backup-now-1 running: streaming a snapshot from kv-1: 1.0 MiB of about 4.0 MiB"));
        assertThat(RequestProgress.backup(c, "1", Optional.of(job("Complete")))).isEqualTo(Progress.done("backup taken by Job kv-backup-now-1:"
                + " 20.0 MiB, revision 1234, pvc://etcd-backups/storageos-etcd/storageos-etcd-20261207T091900Z.db"));
        c.getStatus().getConditions().add(new ConditionBuilder().withType("BackupSucceeded").withStatus("False").withMessage("no follower answered").build());
        assertThat(RequestProgress.backup(c, "1", Optional.of(job("Failed"))))
                .isEqualTo(Progress.failed("backup Job kv-backup-now-1 Failed (BackoffLimitExceeded): no follower answered"));
    }

    @Test
    void aCaRotationGoesThroughItsPhasesToCompleted() {
        EtcdCluster c = StatusViewTest.cluster();
        assertThat(RequestProgress.caRotation(c, "1").state()).as("no TLS").isEqualTo(Progress.State.FAILED);
        c.getSpec().setTls(new TlsSpec());
        c.getStatus().setTls(new TlsStatus());
        assertThat(RequestProgress.caRotation(c, "1").state()).isEqualTo(Progress.State.WAITING);
        c.getStatus().getTls().setCaRotation(new CaRotationStatus("Reissuing", "Request", "1", "t0", null, "abcd"));
        assertThat(RequestProgress.caRotation(c, "1")).isEqualTo(Progress.waiting("phase Reissuing"));
        c.getStatus().getTls().setCaRotation(new CaRotationStatus("Completed", "Request", "1", "t0", "t1", "abcd"));
        assertThat(RequestProgress.caRotation(c, "1")).isEqualTo(Progress.done("CA rotated: new CA abcd, completed t1"));
    }

    @Test
    void aMigrationApprovalNeedsTheProposedPlanAndEndsCompletedOrFailed() {
        EtcdCluster c = StatusViewTest.cluster();
        assertThat(RequestProgress.migration(c, "p1").state()).isEqualTo(Progress.State.FAILED);
        MigrationStatus m = new MigrationStatus();
        m.setPhase("Proposed");
        m.setPlanId("p2");
        c.getStatus().setMigration(m);
        assertThat(RequestProgress.migration(c, "p1").line()).startsWith("plan p1 is not the one proposed (p2)");
        assertThat(RequestProgress.migration(c, "p2").state()).isEqualTo(Progress.State.WAITING);
        m.setPhase("Failed");
        m.setFailureReason("JoinFailed");
        m.setFailure("learner never caught up");
        assertThat(RequestProgress.migration(c, "p2")).isEqualTo(Progress.failed("migration failed (JoinFailed): learner never caught up"));
        m.setPhase("Completed");
        assertThat(RequestProgress.migration(c, "p2").state()).isEqualTo(Progress.State.DONE);
    }

    @Test
    void pauseAndResumeAreDoneWhenProgressingSaysSo() {
        EtcdCluster c = StatusViewTest.cluster();
        assertThat(RequestProgress.pause(c, true).state()).isEqualTo(Progress.State.WAITING);
        assertThat(RequestProgress.pause(c, false).state()).isEqualTo(Progress.State.DONE);
        c.getStatus().getConditions().set(1, new ConditionBuilder().withType("Progressing").withStatus("False").withReason("Paused").build());
        assertThat(RequestProgress.pause(c, true).state()).isEqualTo(Progress.State.DONE);
        assertThat(RequestProgress.pause(c, false).state()).isEqualTo(Progress.State.WAITING);
    }

    private static void ready(EtcdCluster c) {
        Condition ready = c.getStatus().getConditions().get(0);
        ready.setStatus("True");
        ready.setReason("Ready");
    }

    private static RecoveryStatus recovery(String request, String outcome, String message) {
        RecoveryStatus r = new RecoveryStatus();
        r.setRequest(request);
        r.setOutcome(outcome);
        r.setMessage(message);
        return r;
    }

    static Job job(String outcome) {
        JobBuilder b = new JobBuilder().withNewMetadata().withName("kv-backup-now-1").withCreationTimestamp("2026-12-07T09:58:00Z").endMetadata();
        if (outcome != null) {
            b.withNewStatus().withStartTime("2026-12-07T09:58:00Z").withCompletionTime("2026-12-07T09:58:07Z")
                    .addNewCondition().withType(outcome).withStatus("True").withReason("Failed".equals(outcome) ? "BackoffLimitExceeded" : null)
                    .endCondition().endStatus();
        }
        return b.build();
    }
}
