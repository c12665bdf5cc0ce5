package com.storageos.etcd.status;

import com.storageos.etcd.api.v1alpha1.status.BackupStatus;
import com.storageos.etcd.api.v1alpha1.status.ConditionReason;
import com.storageos.etcd.membership.ClusterObservation;
import com.storageos.etcd.membership.Journal;
import com.storageos.etcd.membership.ObservedMember;
import com.storageos.etcd.membership.QuorumMath;
import com.storageos.etcd.membership.QuorumVerdict;
import com.storageos.etcd.membership.RestartOrder;
import com.storageos.etcd.membership.Step;
import com.storageos.etcd.naming.RequestAnnotations;
import java.util.Optional;
import java.util.stream.Collectors;

/** How the observation and the chosen step read as Ready, Available, Progressing and Degraded. */
final class ConditionRules {
    private static final String NOSPACE = "NOSPACE";
    private final StatusInput in;
    private final ClusterObservation obs;
    private final Optional<BackupStatus> lastBackup;
    private final boolean forming;

    /** @param forming the Bootstrap journal is open: the cluster has not formed yet */
    ConditionRules(StatusInput in, Optional<BackupStatus> lastBackup, boolean forming) {
        this.in = in;
        this.obs = in.observation();
        this.lastBackup = lastBackup;
        this.forming = forming;
    }

    ConditionVerdict available() {
        int voters = obs.voters().size();
        if (obs.hasQuorum()) {
            return ConditionVerdict.yes(ConditionReason.QuorumHealthy, obs.healthyVoters() + " of " + voters + " voters healthy; quorum is " + QuorumMath.quorum(voters));
        }
        if (in.step() instanceof Step.Bootstrap || in.step() instanceof Step.StartMember && voters == 0) {
            return ConditionVerdict.no(ConditionReason.Bootstrapping, "the first member is starting");
        }
        if (in.step() instanceof Step.Wait w && w.reason() == ConditionReason.Bootstrapping) {
            return ConditionVerdict.no(ConditionReason.Bootstrapping, w.message());
        }
        if (bootstrapRefused(in.step(), forming)) {
            return ConditionVerdict.no(ConditionReason.RestoreRefused, "the cluster has not formed: " + describe(in.step()));
        }
        if (restoring(in.step(), forming)) {
            return ConditionVerdict.no(ConditionReason.QuorumLost, "restoring from a backup: " + describe(in.step()));
        }
        if (recovering(in.step())) {
            return ConditionVerdict.no(ConditionReason.QuorumLost, "recovering from a survivor: " + describe(in.step()));
        }
        QuorumVerdict quorum = QuorumVerdict.of(obs);
        if (!quorum.lost()) {
            // The operator cannot confirm quorum, but the members do not agree that it is lost: no recovery to offer.
            return ConditionVerdict.unknown(quorum.reason(), quorum.describe() + ". No recovery is offered or accepted while the"
                    + " members do not agree that quorum is lost; the operator makes no membership change meanwhile");
        }
        String why = in.step() instanceof Step.Blocked b ? b.message() : in.step() instanceof Step.RestorePods r ? r.message()
                : obs.healthyVoters() + " of " + voters + " voters healthy";
        // Pods scaled away come back on their data by themselves: no request to advise then.
        String advice = in.step() instanceof Step.Blocked ? " " + new QuorumLossAdvice(in.clusterName(), obs, lastBackup).text() : "";
        return ConditionVerdict.no(ConditionReason.QuorumLost, why + ". StorageOS is read-only until quorum returns; the operator makes no membership"
                + " change by itself meanwhile." + advice);
    }

    /** A step of a recovery from a survivor, or its stop once the survivor did not start. */
    private static boolean recovering(Step step) {
        return step instanceof Step.StartRecovery || partOf(step, ConditionReason.RecoveringFromSurvivor)
                || step instanceof Step.Blocked b && b.reason() == ConditionReason.SurvivorNotStarting;
    }

    /** A step of a restore in place from a backup, or its stop once member 0 refused the target. */
    static boolean restoring(Step step, boolean forming) {
        return step instanceof Step.StartRestore || partOf(step, ConditionReason.RestoringFromBackup)
                || step instanceof Step.Blocked b && b.reason() == ConditionReason.RestoreRefused && !forming;
    }

    /** A new cluster whose spec.bootstrap.restore member 0 refused: it never formed, and nothing is in flight until a person acts. */
    static boolean bootstrapRefused(Step step, boolean forming) {
        return forming && step instanceof Step.Blocked b && b.reason() == ConditionReason.RestoreRefused;
    }

    /** A wait, restart or progress step that says it is part of the recovery with this reason. */
    private static boolean partOf(Step step, ConditionReason recovery) {
        return step instanceof Step.Wait w && w.reason() == recovery || step instanceof Step.RecoveryProgress p && p.condition() == recovery
                || step instanceof Step.RestartPod r && r.purpose().condition() == recovery;
    }

    ConditionVerdict progressing() {
        if (bootstrapRefused(in.step(), forming)) {
            return ConditionVerdict.no(ConditionReason.RestoreRefused, describe(in.step()));
        }
        ConditionReason reason = progressReason();
        long ourVoters = obs.voters().stream().filter(m -> m.ordinal() >= 0).count();
        if (reason == null && ourVoters != in.desiredReplicas()) {
            // Not converged, only held back (an unhealthy voter): saying "Converged" here hid a blocked scale.
            return ConditionVerdict.yes(ConditionReason.WaitingForHealthyMembers, ourVoters + " voters, spec.replicas " + in.desiredReplicas()
                    + "; " + describe(in.step()));
        }
        if (reason == null && !RestartOrder.stale(obs).isEmpty()) {
            // A rollout held back between two restarts (a restarted member not healthy yet) is still in flight.
            return ConditionVerdict.yes(ConditionReason.RollingUpdate, describe(in.step()) + RestartOrder.left(obs));
        }
        if (reason == null) {
            return ConditionVerdict.no(ConditionReason.Converged, "membership matches spec.replicas");
        }
        boolean leaderMovesForRestart = reason == ConditionReason.RollingUpdate && in.step() instanceof Step.MoveLeader;
        return ConditionVerdict.yes(reason, describe(in.step()) + (leaderMovesForRestart ? ", which restarts last" + RestartOrder.left(obs) : ""));
    }

    static ConditionVerdict paused() {
        return ConditionVerdict.no(ConditionReason.Paused, "the " + RequestAnnotations.PAUSED
                + " annotation is set: the operator changes nothing for this cluster until it is removed");
    }

    ConditionVerdict degraded() {
        if (in.stepError() != null) {
            return ConditionVerdict.yes(ConditionReason.StepFailed, in.stepError());
        }
        if (in.step() instanceof Step.Blocked b) {
            return ConditionVerdict.yes(b.reason(), b.message());
        }
        if (in.step() instanceof Step.RestorePods r) {
            return ConditionVerdict.yes(ConditionReason.RestoringPods, r.message());
        }
        if (obs.disagreement().isPresent()) {
            return ConditionVerdict.yes(ConditionReason.MembershipDisagreement, obs.disagreement().get().message());
        }
        long unhealthy = obs.voters().stream().filter(m -> !m.healthy()).count();
        if (unhealthy > 0) {
            int voters = obs.voters().size();
            boolean atRisk = obs.healthyVoters() <= QuorumMath.quorum(voters) && voters > 1;
            return ConditionVerdict.yes(atRisk ? ConditionReason.QuorumAtRisk : ConditionReason.MemberUnhealthy, unhealthy + " of " + voters
                    + " voters unhealthy" + (atRisk ? "; one more failure loses quorum" : "") + staleMembers());
        }
        if (obs.alarms().contains(NOSPACE)) {
            return ConditionVerdict.yes(ConditionReason.NoSpace, "etcd's NOSPACE alarm is active: writes are refused until compaction and "
                    + "defragmentation (spec.defrag) free space and the alarm is disarmed");
        }
        return ConditionVerdict.no(ConditionReason.AsExpected, "every voter is healthy");
    }

    /** Voters whose pod runs etcd as another member: named, since what happens to them is not a plain outage. */
    private String staleMembers() {
        return obs.voters().stream().filter(ObservedMember::servedByAnotherMember).map(m -> "; " + m.name() + "'s pod runs etcd as member "
                + Long.toHexString(m.answeredAs()) + " (data of an earlier member or cluster incarnation): refused, it is replaced")
                .collect(Collectors.joining());
    }

    ConditionVerdict ready(ConditionVerdict available, ConditionVerdict progressing, ConditionVerdict degraded) {
        long ourVoters = obs.voters().stream().filter(m -> m.ordinal() >= 0).count();
        if (available.status() && !progressing.status() && !degraded.status() && ourVoters == in.desiredReplicas()) {
            return ConditionVerdict.yes(ConditionReason.ClusterReady, ourVoters + " voters healthy, leader " + obs.leader().map(ObservedMember::name).orElse("none"));
        }
        ConditionVerdict cause = !available.status() ? available : degraded.status() ? degraded : progressing;
        return ConditionVerdict.no(cause.status() || !available.status() ? cause.reason() : ConditionReason.Reconciling, cause.message());
    }

    /** The Progressing reason of each step, null when it is none; one case per step and no default, so a new step needs one. */
    private ConditionReason progressReason() {
        return switch (in.step()) {
            case Step.Bootstrap _ -> ConditionReason.Bootstrapping;
            case Step.PromoteLearner _ -> ConditionReason.LearnerCatchingUp;
            case Step.AddLearner a -> a.journal().operation() == Journal.Operation.ReplaceMember ? ConditionReason.ReplacingMember
                    : ConditionReason.ScalingUp;
            case Step.RemoveMember r -> r.because().map(Step.RestartPod.Purpose::condition).orElseGet(() -> removalReason(r.journal()));
            case Step.UpdatePeerUrl _ -> ConditionReason.UpdatingPeerUrl;
            case Step.MoveLeader _ -> obs.members().stream().anyMatch(m -> m.ordinal() < 0) ? ConditionReason.RemovingExternalMember
                    : obs.voters().stream().filter(m -> m.ordinal() >= 0).count() > in.desiredReplicas() ? ConditionReason.ScalingDown
                    : ConditionReason.RollingUpdate;
            case Step.RetireOrdinal _, Step.ReleaseVolume _ -> ConditionReason.ScalingDown;
            case Step.StartRestore _ -> ConditionReason.RestoringFromBackup;
            case Step.StartRecovery _ -> ConditionReason.RecoveringFromSurvivor;
            case Step.RecoveryProgress p -> p.condition() == ConditionReason.RestoringFromBackup
                    || p.condition() == ConditionReason.RecoveringFromSurvivor ? p.condition() : null;
            case Step.Blocked b -> b.reason() == ConditionReason.SurvivorNotStarting ? ConditionReason.RecoveringFromSurvivor
                    : b.reason() == ConditionReason.RestoreRefused ? ConditionReason.RestoringFromBackup : null;
            case Step.RestartPod r -> r.purpose().condition();
            case Step.RestorePods _ -> ConditionReason.RestoringPods;
            case Step.MigrationProgress p -> p.reason();
            case Step.RestartStorageOSNode _ -> ConditionReason.MigrationRestartingStorageOSNodes;
            case Step.StartMember _, Step.RecordJournal _, Step.ClusterFormed _ -> ConditionReason.ScalingUp;
            case Step.Wait w -> w.reason() == ConditionReason.MemberUnhealthy ? null : w.reason();
            case Step.RefuseRecovery _, Step.AbortRecovery _, Step.Converged _ -> null;
        };
    }

    private static ConditionReason removalReason(Journal journal) {
        return journal.ordinal() < 0 ? ConditionReason.RemovingExternalMember
                : journal.operation() == Journal.Operation.RollBackMigration ? ConditionReason.MigrationRollingBack
                : journal.operation() == Journal.Operation.ReplaceMember ? ConditionReason.ReplacingMember : ConditionReason.ScalingDown;
    }

    private String describe(Step step) {
        String failure = in.stepFailure() == null ? "" : " (last attempt: " + in.stepFailure() + ")";
        return new StepSentence(obs, in.clusterName()).of(step) + failure;
    }
}
