package com.storageos.etcd.membership;

import com.storageos.etcd.api.v1alpha1.status.ConditionReason;
import com.storageos.etcd.membership.Journal.Operation;
import com.storageos.etcd.membership.Journal.Phase;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * PURE: the steps of a migration that failed while joining (phases RollingBack and Failed). Every member of ours leaves
 * the external cluster, learners first, each removal journaled ({@link Operation#RollBackMigration}) and only while it keeps
 * the external cluster's quorum; then this cluster's pods stop, their volumes kept. StorageOS was never switched (it is
 * only after every member of ours votes), so nothing else is undone. A retry needs a new approval of a new plan.
 */
final class MigrationRollback {
    private final PlanInput in;
    private final MigrationInput m;
    private final ClusterObservation obs;
    private final Migration failed;

    MigrationRollback(PlanInput in, MigrationInput m) {
        this.in = in;
        this.m = m;
        this.obs = in.observation();
        this.failed = m.recorded().orElseThrow();
    }

    Step next() {
        if (!obs.etcdReachable()) {
            return new Step.Wait(ConditionReason.EtcdUnreachable, "the rollback waits: no etcd member answers", Pace.POD);
        }
        Optional<Journal> open = in.journal();
        if (open.filter(j -> j.operation() == Operation.RollBackMigration).isPresent()) {
            // Resumed after a crash: the removal was asked for, and maybe done.
            Journal removal = open.get();
            return obs.member(removal.memberId()).map(member -> remove(member, removal))
                    .orElseGet(() -> new Step.RecordJournal(Optional.empty(), "RolledBackMember"));
        }
        Optional<ObservedMember> next = obs.members().stream().filter(x -> x.ordinal() >= 0)
                .min(Comparator.comparing(ObservedMember::voter).thenComparing(ObservedMember::ordinal, Comparator.reverseOrder()));
        if (next.isPresent()) {
            ObservedMember member = next.get();
            return remove(member, Journal.start(Operation.RollBackMigration, Phase.RemoveRequested, member.ordinal(), member.peerUrl(),
                    member.id(), obs.now()));
        }
        if (open.isPresent()) {
            // The scale-up that failed: its learner is gone, so its journal closes.
            return new Step.RecordJournal(Optional.empty(), "MigrationRolledBack");
        }
        if (obs.statefulSetReplicas() > 0) {
            return new Step.RetireOrdinal(obs.statefulSetReplicas() - 1, 0);
        }
        if (!obs.pods().isEmpty()) {
            return new Step.Wait(ConditionReason.PodTerminating, "the rollback waits for this cluster's pods to stop", Pace.POD);
        }
        if (failed.phase() == Migration.Phase.RollingBack) {
            return new Step.MigrationProgress(failed.withPhase(Migration.Phase.Failed), failed.failureReason(), failedMessage());
        }
        return retry();
    }

    /** A learner leaves without changing quorum; a voter of ours only while the healthy voters left make the smaller quorum. */
    private Step remove(ObservedMember member, Journal removal) {
        if (!obs.hasQuorum()) {
            return QuorumVerdict.of(obs).blocked("the rollback of the failed migration stopped: " + obs.healthyVoters() + " of "
                    + obs.voters().size() + " voters are healthy; nothing is removed until quorum returns");
        }
        Optional<String> risk = QuorumGuard.canRemove(obs, member);
        if (risk.isPresent()) {
            return new Step.Wait(ConditionReason.QuorumAtRisk, "the rollback waits: " + risk.get(), Pace.POD);
        }
        if (member.leader()) {
            return obs.voters().stream().filter(x -> x.ordinal() < 0 && x.healthy()).findFirst()
                    .<Step>map(to -> new Step.MoveLeader(member.id(), to.id()))
                    .orElseGet(() -> new Step.Wait(ConditionReason.QuorumAtRisk, "the rollback waits for a healthy external member to take"
                            + " over leadership", Pace.POD));
        }
        return new Step.RemoveMember(removal);
    }

    private String failedMessage() {
        String members = obs.members().stream().map(x -> x.name() + " (" + Long.toHexString(x.id()) + ")").sorted()
                .collect(Collectors.joining(", "));
        return "the migration failed: " + failed.failure() + ". It was rolled back: every member this cluster added was removed again, so"
                + " the external cluster is as it was before the approval (members " + members + "), and StorageOS still uses it;"
                + " this cluster's pods are stopped and their volumes kept";
    }

    /** Rolled back: a retry is a new plan, approved anew once the cause is fixed. */
    private Step retry() {
        MigrationPlanner planner = new MigrationPlanner(in, m);
        Optional<String> refused = planner.precheck();
        if (refused.isPresent()) {
            return new Step.Blocked(failed.failureReason(), failedMessage() + ". A retry is refused for now: " + refused.get());
        }
        Migration plan = planner.plan(failed.planId());
        if (m.approval().filter(plan.planId()::equals).isPresent()) {
            return new Step.MigrationProgress(plan.withPhase(Migration.Phase.Joining), ConditionReason.MigrationStarted,
                    "retry plan " + plan.planId() + " approved: adding this cluster's members as learners of the external cluster again");
        }
        return new Step.Blocked(failed.failureReason(), failedMessage() + ". To retry, fix the cause, then approve the retry plan (the"
                + " steps of status.migration.plan, for the external cluster as it is now): kubectl annotate etcdcluster <name> "
                + Migration.APPROVAL_ANNOTATION + "=" + plan.planId() + " --overwrite");
    }
}
