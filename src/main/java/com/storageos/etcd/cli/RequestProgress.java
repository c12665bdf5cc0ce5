package com.storageos.etcd.cli;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.status.CaRotationStatus;
import com.storageos.etcd.api.v1alpha1.status.ConditionReason;
import com.storageos.etcd.api.v1alpha1.status.EtcdClusterStatus;
import com.storageos.etcd.api.v1alpha1.status.MigrationStatus;
import com.storageos.etcd.api.v1alpha1.status.RecoveryStatus;
import com.storageos.etcd.desired.BackupRequest;
import com.storageos.etcd.membership.Migration;
import com.storageos.etcd.status.Conditions;
import com.storageos.etcd.toolcontract.ToolProgress;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How far a request has come, read from what the operator records for it: pure, so that each outcome a user can meet
 * is unit-tested. A request value is served once, so each check first looks for its own value in the status.
 */
public final class RequestProgress {
    private RequestProgress() {
    }

    /** backup-now: served once the handled annotation holds the value and the Job exists; done when the Job is. */
    public static Progress backup(EtcdCluster cluster, String value, Optional<Job> job) {
        if (cluster.getSpec().getBackup() == null) {
            return Progress.failed("spec.backup is not set: the cluster has nowhere to write a backup");
        }
        String handled = Optional.ofNullable(cluster.getMetadata().getAnnotations()).orElse(Map.of()).get(BackupRequest.HANDLED_ANNOTATION);
        if (!value.equals(handled) || job.isEmpty()) {
            return Progress.waiting("waiting for the operator to start the backup Job");
        }
        String outcome = BackupsView.outcome(job.get());
        String name = job.get().getMetadata().getName();
        if (outcome.startsWith("Failed")) {
            String why = condition(status(cluster), "BackupSucceeded").filter(c -> "False".equals(c.getStatus()))
                    .map(c -> ": " + c.getMessage()).orElse("");
            return Progress.failed("backup Job " + name + " " + outcome + why);
        }
        if (outcome.equals("Complete")) {
            return Progress.done("backup taken by Job " + name + ": " + Optional.ofNullable(status(cluster).getLastBackup())
                    .map(b -> Table.bytes(b.getSizeBytes()) + ", revision " + b.getRevision() + ", " + b.getLocation()).orElse("(no status yet)"));
        }
        return Progress.waiting("backup Job " + name + " running" + Optional.ofNullable(status(cluster).getProgress()).orElse(List.of())
                .stream().filter(p -> ToolProgress.BACKUP.equals(p.getOperation())).findFirst().map(p -> ": " + p.getMessage()).orElse(""));
    }

    /** recover-from-survivor and restore-from-backup: status.recovery for this value, then Ready. */
    public static Progress recovery(EtcdCluster cluster, String value) {
        EtcdClusterStatus status = status(cluster);
        RecoveryStatus r = status.getRecovery();
        if (r == null || !value.equals(r.getRequest())) {
            return Progress.waiting("waiting for the operator to take the request");
        }
        String message = Optional.ofNullable(r.getMessage()).orElse("");
        switch (Optional.ofNullable(r.getOutcome()).orElse("")) {
            case "Refused":
                return Progress.failed("refused: " + message);
            case "Aborted":
                return Progress.failed("aborted: " + message);
            case "Completed":
                return ready(status) ? Progress.done("completed: " + message + "; Ready, members " + status.getMembersSummary())
                        : Progress.waiting("completed, waiting for Ready (" + readyReason(status) + "), members "
                        + Optional.ofNullable(status.getMembersSummary()).orElse("-"));
            default:
                return Progress.waiting(Optional.ofNullable(status.getPendingChange())
                        .map(p -> p.getOperation() + " " + Optional.ofNullable(p.getPhase()).orElse("") + ": ").orElse("in progress: ") + message);
        }
    }

    /** rotate-ca: status.tls.caRotation for this value, phase by phase, to Completed. */
    public static Progress caRotation(EtcdCluster cluster, String value) {
        if (cluster.getSpec().getTls() == null) {
            return Progress.failed("the cluster has no TLS (spec.tls): there is no CA to rotate");
        }
        CaRotationStatus r = Optional.ofNullable(status(cluster).getTls()).map(t -> t.getCaRotation()).orElse(null);
        if (r == null || !value.equals(r.getRequest())) {
            return Progress.waiting("waiting for the operator to start the rotation (a rotation under way finishes first)");
        }
        return "Completed".equals(r.getPhase()) ? Progress.done("CA rotated: new CA " + r.getNewCa() + ", completed " + r.getCompletedAt())
                : Progress.waiting("phase " + r.getPhase() + Optional.ofNullable(condition(status(cluster), Conditions.CA_ROTATING)
                        .map(Condition::getMessage).orElse(null)).map(m -> ": " + m).orElse(""));
    }

    /** approve-migration: status.migration from the approved plan to Completed, or to Failed after a rollback. */
    public static Progress migration(EtcdCluster cluster, String planId) {
        MigrationStatus m = status(cluster).getMigration();
        if (m == null) {
            return Progress.failed("no migration: spec.bootstrap.join is not set, or no plan has been proposed yet");
        }
        String phase = Optional.ofNullable(m.getPhase()).orElse("");
        if (phase.equals(Migration.Phase.Failed.name())) {
            return Progress.failed("migration failed (" + m.getFailureReason() + "): " + m.getFailure());
        }
        if (phase.equals(Migration.Phase.Completed.name())) {
            return Progress.done("migration completed");
        }
        if (phase.equals(Migration.Phase.Proposed.name()) && !planId.equals(m.getPlanId())) {
            return Progress.failed("plan " + planId + " is not the one proposed (" + m.getPlanId() + "): read it with kubectl etcd status");
        }
        return Progress.waiting("phase " + phase + Optional.ofNullable(condition(status(cluster), Conditions.PROGRESSING)
                .map(Condition::getMessage).orElse(null)).map(msg -> ": " + msg).orElse(""));
    }

    /** pause and resume: done once Progressing says Paused, or no longer does. */
    public static Progress pause(EtcdCluster cluster, boolean paused) {
        boolean shown = condition(status(cluster), Conditions.PROGRESSING).map(c -> ConditionReason.Paused.name().equals(c.getReason())).orElse(false);
        if (shown == paused) {
            return Progress.done(paused ? "paused: the operator makes no change to this cluster" : "resumed");
        }
        return Progress.waiting(paused ? "waiting for the operator to pause (at its next reconcile, within 30 s)" : "waiting for the operator to resume");
    }

    static boolean ready(EtcdClusterStatus status) {
        return condition(status, Conditions.READY).map(c -> "True".equals(c.getStatus())).orElse(false);
    }

    private static String readyReason(EtcdClusterStatus status) {
        return condition(status, Conditions.READY).map(Condition::getReason).orElse("no Ready condition");
    }

    private static EtcdClusterStatus status(EtcdCluster cluster) {
        return Optional.ofNullable(cluster.getStatus()).orElseGet(EtcdClusterStatus::new);
    }

    private static Optional<Condition> condition(EtcdClusterStatus status, String type) {
        return StatusView.condition(status, type);
    }
}
