package com.storageos.etcd.membership;

import com.storageos.etcd.api.v1alpha1.status.ConditionReason;
import com.storageos.etcd.membership.Journal.Operation;
import com.storageos.etcd.membership.Journal.Phase;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Carries an open journal to its end by comparing it with what etcd reports: each phase either
 * proceeds, is found already done (the operator crashed after acting but before recording), or is
 * rolled back.
 */
final class JournalPlanner {
    /** How long the members on retained volumes may take to answer before the status says Blocked. */
    static final Duration RETAINED_MEMBERS_DEADLINE = Duration.ofMinutes(5);
    private final PlanInput in;
    private final ClusterObservation obs;

    JournalPlanner(PlanInput in) {
        this.in = in;
        this.obs = in.observation();
    }

    Step continueWith(Journal journal) {
        if (journal.operation() == Operation.RecoverFromSurvivor) {
            return new SurvivorRecovery(obs, in.survivorDeadline()).continueWith(journal);
        }
        if (journal.operation() == Operation.RestoreFromBackup) {
            return new BackupRecovery(obs).continueWith(journal);
        }
        return switch (journal.phase()) {
            case Starting -> bootstrapping(journal);
            case AddRequested -> addRequested(journal);
            case MemberAdded -> memberAdded(journal);
            case RemoveRequested -> removeRequested(journal);
            case MemberRemoved -> memberRemoved(journal);
            case ForceNewCluster, ClearForceFlag, SeedFromBackup -> new Step.Blocked(ConditionReason.InvalidJournal, "phase " + journal.phase()
                    + " belongs to a recovery, not to " + journal.operation());
        };
    }

    private Step bootstrapping(Journal journal) {
        if (obs.etcdReachable() && !obs.members().isEmpty()) {
            return new Step.ClusterFormed();
        }
        if (obs.statefulSetReplicas() < journal.ordinal() + 1) {
            return new Step.StartMember(journal.ordinal(), journal.ordinal() + 1);
        }
        Optional<String> refused = obs.pod(0).flatMap(p -> p.restore().refused());
        if (refused.isPresent()) {
            // spec.bootstrap.restore names a point the store cannot serve, and spec.bootstrap cannot change: only a person can
            // choose another. Member 0 touched nothing; its bootstrap retries, so a target the store comes to hold still forms.
            return new Step.Blocked(ConditionReason.RestoreRefused, "member 0 cannot restore spec.bootstrap.restore: " + refused.get());
        }
        if (!journal.retainedOrdinals().isEmpty()) {
            return waitForRetainedMembers(journal);
        }
        return new Step.Wait(ConditionReason.Bootstrapping, "waiting for the first member to start and elect itself leader", Pace.POD);
    }

    /** Member 0 refuses to form a new cluster; the members on the retained volumes must answer, or a person decides. */
    private Step waitForRetainedMembers(Journal journal) {
        String claims = "the data claims of ordinals " + journal.retainedOrdinals().stream().sorted().map(String::valueOf)
                .collect(Collectors.joining(", ")) + " (data-<cluster>-<ordinal>)";
        if (journal.phaseAge(obs.now()).compareTo(RETAINED_MEMBERS_DEADLINE) > 0) {
            return new Step.Blocked(ConditionReason.RetainedVolumesWithoutQuorum, claims + " were kept from an earlier cluster of this name, but its"
                    + " members have not formed a quorum within " + RETAINED_MEMBERS_DEADLINE.toMinutes() + " minutes. Member 0 will"
                    + " not form a new cluster over their data. To start an empty cluster, delete this EtcdCluster and those claims;"
                    + " to keep the data, make those members start (see their pods), or restore from a backup");
        }
        return new Step.Wait(ConditionReason.Bootstrapping, "waiting for the members on " + claims + ", kept from an earlier cluster of this"
                + " name, to form their quorum again; member 0 will not form a new cluster over them", Pace.POD);
    }

    private Step addRequested(Journal journal) {
        Optional<ObservedMember> added = obs.memberWithPeerUrl(journal.peerUrl());
        if (added.isPresent()) {
            return record(journal.withPhase(Phase.MemberAdded, added.get().id(), obs.now()), "LearnerFound");
        }
        if (!obs.hasQuorum()) {
            return QuorumVerdict.of(obs).blocked("cannot add a learner without quorum");
        }
        Optional<String> refused = QuorumGuard.canAddLearner(obs);
        if (refused.isEmpty()) {
            return new Step.AddLearner(journal);
        }
        if (anotherVoterNeedsRepair()) {
            // Nothing was added yet, and the voter that keeps etcd from adding one is repaired only
            // without an open journal (two lost volumes in five): give the add up. The missing member
            // is added again once every voter is healthy.
            return close("AddDeferred");
        }
        return new Step.Wait(ConditionReason.MemberUnhealthy, refused.get(), Pace.POD);
    }

    /** A down voter whose pod lost its data or keeps failing in place: it does not come back by itself. */
    private boolean anotherVoterNeedsRepair() {
        return obs.voters().stream().filter(m -> !m.healthy() && m.ordinal() >= 0)
                .anyMatch(m -> obs.pod(m.ordinal()).filter(p -> p.reportedDataLoss() || p.crashLooping()).isPresent());
    }

    private Step memberAdded(Journal journal) {
        Optional<ObservedMember> found = obs.member(journal.memberId());
        if (!obs.etcdReachable()) {
            return new Step.Wait(ConditionReason.EtcdUnreachable, "no etcd member answers", Pace.POD);
        }
        if (found.isEmpty()) {
            return close("LearnerVanished");
        }
        ObservedMember learner = found.get();
        if (learner.voter()) {
            return close("MemberPromoted");
        }
        if (obs.statefulSetReplicas() < journal.ordinal() + 1) {
            return new Step.StartMember(journal.ordinal(), journal.ordinal() + 1);
        }
        Optional<PodState> pod = obs.pod(journal.ordinal());
        if (pod.map(PodState::reportedDataLoss).orElse(false) && !pod.get().terminating()) {
            return new Step.RestartPod(journal.ordinal(), "its bootstrap ran before the learner was added");
        }
        LearnerCatchUp progress = new LearnerCatchUp(learner, obs, in.learnerDeadline());
        Optional<Step.RestartPod.Purpose> removal = progress.removal(journal, anotherVoterNeedsRepair());
        if (removal.isPresent()) {
            return removeStuckLearner(journal, learner, removal.get());
        }
        if (learner.started()) {
            // A learner that stopped answering after it caught up would pass etcd's own check and come in as a voter that is
            // down: three healthy voters would become four with one down, and tolerate no failure. Only a healthy one is promoted.
            // One still behind the leader is waited for: etcd would refuse to promote it.
            return QuorumGuard.canPromote(obs, learner)
                    .<Step>map(why -> new Step.Wait(ConditionReason.QuorumAtRisk, why, Pace.POD))
                    .or(() -> progress.caughtUp() ? Optional.empty() : Optional.of(new Step.Wait(ConditionReason.LearnerCatchingUp,
                            progress.state() + "; it is promoted once healthy and within 90% of the leader's raft index, by "
                                    + deadline(journal), Pace.POD)))
                    .orElseGet(() -> new Step.PromoteLearner(learner.id(), journal.ordinal()));
        }
        return new Step.Wait(ConditionReason.LearnerStarting, "waiting for learner " + Long.toHexString(learner.id()) + " to start, by "
                + deadline(journal), Pace.FAST);
    }

    private String deadline(Journal journal) {
        return journal.phaseStartedAt().plus(in.learnerDeadline()) + " (the learner deadline)";
    }

    /**
     * A scale-up's learner goes as a scale-down (its ordinal is retired, and the scale-up starts again); a replacement's as
     * the replacement's own removal, so that the member is added again at once, or once the voters are repaired.
     */
    private Step removeStuckLearner(Journal journal, ObservedMember learner, Step.RestartPod.Purpose why) {
        if (!obs.hasQuorum()) {
            return QuorumVerdict.of(obs).blocked("cannot remove the stuck learner without quorum");
        }
        Journal.Operation as = journal.operation() == Operation.ReplaceMember ? Operation.ReplaceMember : Operation.ScaleDown;
        return new Step.RemoveMember(Journal.start(as, Phase.RemoveRequested, journal.ordinal(), journal.peerUrl(), learner.id(),
                obs.now()), Optional.of(why));
    }

    private Step removeRequested(Journal journal) {
        Optional<ObservedMember> found = obs.member(journal.memberId());
        if (found.isEmpty() && obs.etcdReachable() && journal.operation() == Operation.RemoveExternal) {
            return close("ExternalMemberRemoved");
        }
        if (found.isEmpty() && obs.etcdReachable()) {
            Phase next = journal.operation() == Operation.ReplaceMember ? Phase.AddRequested : Phase.MemberRemoved;
            return record(journal.withPhase(next, 0, obs.now()), "MemberRemoved");
        }
        if (!obs.hasQuorum()) {
            return QuorumVerdict.of(obs).blocked("cannot remove a member without quorum");
        }
        if (journal.operation() == Operation.RemoveExternal) {
            // Re-planned by the migration (a leader move first, if it leads now); closing loses nothing.
            return QuorumGuard.canRemove(obs, found.get()).isPresent() || found.get().leader()
                    ? close("ExternalRemovalReplanned") : new Step.RemoveMember(journal);
        }
        return removeSafely(found.get(), journal);
    }

    /** Leadership moves away first; the guard keeps the smaller cluster above quorum. */
    Step removeSafely(ObservedMember member, Journal journal) {
        Optional<String> unsafe = QuorumGuard.canRemove(obs, member);
        if (unsafe.isPresent()) {
            return new Step.Wait(ConditionReason.QuorumAtRisk, unsafe.get(), Pace.POD);
        }
        if (member.leader()) {
            return obs.voters().stream().filter(m -> m.id() != member.id() && m.healthy()).findFirst()
                    .<Step>map(to -> new Step.MoveLeader(member.id(), to.id()))
                    .orElseGet(() -> new Step.Wait(ConditionReason.QuorumAtRisk, "no healthy voter to take over leadership", Pace.POD));
        }
        return new Step.RemoveMember(journal);
    }

    private Step memberRemoved(Journal journal) {
        if (obs.memberPodCount() > journal.ordinal()) {
            // A member above this ordinal (a gap, e.g. after a hand edit): lowering the StatefulSet would
            // take that member's pod too. Keep the pod and its volume; the ordinal is re-added as a learner.
            return close("OrdinalBelowOtherMembers");
        }
        if (obs.statefulSetReplicas() > journal.ordinal()) {
            return new Step.RetireOrdinal(journal.ordinal(), journal.ordinal());
        }
        if (obs.pod(journal.ordinal()).isPresent()) {
            return new Step.Wait(ConditionReason.PodTerminating, "waiting for pod of ordinal " + journal.ordinal() + " to go", Pace.POD);
        }
        // A pod without a member leaves its volume as it was: no member of this cluster was retired with it.
        return journal.operation() == Operation.RetirePod ? close("PodRetired") : new Step.ReleaseVolume(journal.ordinal());
    }

    private Step record(Journal next, String reason) {
        return new Step.RecordJournal(Optional.of(next), reason);
    }

    private static Step close(String reason) {
        return new Step.RecordJournal(Optional.empty(), reason);
    }
}
