package com.storageos.etcd.membership;

import com.storageos.etcd.api.v1alpha1.status.ConditionReason;
import com.storageos.etcd.membership.Journal.Operation;
import com.storageos.etcd.membership.Journal.Phase;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Recovery of a cluster that lost quorum from its most advanced survivor, in the order etcd's disaster-recovery
 * guide gives: stop the others (their bootstrap moves their data aside, never deletes it), restart the survivor
 * alone with {@code --force-new-cluster} on its own data (etcd then removes every other member itself), restart
 * it once more without the flag (a later restart in place must never force again), and hand over to the
 * ordinary learner loop, which grows the cluster back to spec.replicas. Each phase is judged from the pods and
 * etcd, never from what the operator remembers having done, so a crash at any point resumes.
 */
public final class SurvivorRecovery {
    static final Step.RestartPod.Purpose RESTART_OTHER = restart("recovery from a survivor: its bootstrap moves its old data aside");
    static final Step.RestartPod.Purpose RESTART_FORCED = restart("recovery from a survivor: restart alone with --force-new-cluster");
    static final Step.RestartPod.Purpose RESTART_UNFORCED = restart("recovery from a survivor: restart without --force-new-cluster");
    private final ClusterObservation obs;
    private final Duration deadline;

    /** @param deadline how long the survivor may take to run alone before the recovery says it is stuck, with the ways out */
    SurvivorRecovery(ClusterObservation obs, Duration deadline) {
        this.obs = obs;
        this.deadline = deadline;
    }

    /**
     * Serves a new request: refuses it unless the members agree that quorum is lost (or it is forced), and when no member
     * can say how far it got.
     */
    Step start(RecoveryRequest request) {
        QuorumVerdict quorum = QuorumVerdict.of(obs);
        if (!quorum.lost() && !request.force()) {
            return new Step.RefuseRecovery(request, quorum.describe() + ": a recovery would force a one-member cluster and move the"
                    + " other members' data aside, and writes the others acknowledged could be lost. Nothing was changed. To recover"
                    + " anyway, use a value that starts with \"" + RecoveryRequest.FORCE_PREFIX + "\"");
        }
        Optional<ObservedMember> survivor = mostAdvanced(obs);
        if (survivor.isEmpty()) {
            return new Step.RefuseRecovery(request, "no member of ours answered its status call, so none can say how far its"
                    + " data got; nothing was changed. Start a member whose data survived, or restore from a backup");
        }
        ObservedMember s = survivor.get();
        List<String> others = obs.members().stream().filter(m -> m.id() != s.id())
                .map(m -> m.started() ? m.name() : Long.toHexString(m.id())).toList();
        return new Step.StartRecovery(Journal.start(Operation.RecoverFromSurvivor, Phase.ForceNewCluster, s.ordinal(), s.peerUrl(),
                s.id(), obs.now()).withForced(request.force()), request, s.name(), s.raftIndex(), s.revision(), others);
    }

    /**
     * The member with the highest raft index among those that answered their status call (etcd answers it without
     * quorum); ties go to the higher revision, then the lower ordinal. A member that does not answer cannot say how
     * far it got and is never guessed at.
     */
    public static Optional<ObservedMember> mostAdvanced(ClusterObservation obs) {
        return obs.voters().stream().filter(m -> m.ordinal() >= 0 && m.answeredStatus())
                .max(Comparator.comparingLong(ObservedMember::raftIndex).thenComparingLong(ObservedMember::revision)
                        .thenComparing(Comparator.comparingInt(ObservedMember::ordinal).reversed()));
    }

    Step continueWith(Journal journal) {
        return journal.phase() == Phase.ClearForceFlag ? clearForceFlag(journal) : forceNewCluster(journal);
    }

    /**
     * Only a pod past its bootstrap is restarted: its bootstrap ran before the journal. A pod still in (or retrying) its
     * bootstrap decides from the journal as it is now, so a restart would only start it over.
     */
    private Step forceNewCluster(Journal journal) {
        if (obs.pod(journal.ordinal()).filter(PodState::forcedNewCluster).isEmpty() && obs.voters().size() > 1) {
            // Until the survivor runs forced, every step here moves data aside or forks the cluster: look at quorum again first.
            // Only a view of several voters can show quorum back: a member restarted in place on wiped data re-forms a
            // one-member cluster of its own, healthy "1 of 1" (seen in RecoverFromSurvivorSystemIT).
            Optional<Step> recheck = QuorumVerdict.of(obs).beforeRecoveryStep(journal, "recovery from a survivor");
            if (recheck.isPresent()) {
                return recheck.get();
            }
        }
        // Before the others stop: while their data is not moved aside yet, one of them may still be chosen instead.
        Optional<Step> lost = survivorLost(journal);
        if (lost.isPresent()) {
            return lost.get();
        }
        Optional<PodState> pod = obs.pod(journal.ordinal());
        Optional<Step> stopOthers = obs.pods().values().stream()
                .filter(p -> p.ordinal() != journal.ordinal() && p.initialized() && !p.terminating())
                .min(Comparator.comparingInt(PodState::ordinal)).map(p -> new Step.RestartPod(p.ordinal(), RESTART_OTHER));
        if (stopOthers.isPresent()) {
            return stopOthers.get();
        }
        if (pod.isEmpty() || pod.get().terminating() || obs.pods().values().stream().anyMatch(PodState::terminating)) {
            return waitFor(journal, "waiting for the old member pods to go");
        }
        if (pod.get().initialized() && !pod.get().forcedNewCluster()) {
            return new Step.RestartPod(journal.ordinal(), RESTART_FORCED);
        }
        if (pod.get().forcedNewCluster() && runsAlone(journal)) {
            return new Step.RecoveryProgress(Optional.of(journal.withPhase(Phase.ClearForceFlag, journal.memberId(), obs.now())),
                    ConditionReason.RecoveringFromSurvivor, "ForcedNewCluster", name(journal) + " runs alone as a new one-member cluster on its own data;"
                    + " restarting it once more without --force-new-cluster");
        }
        return waitFor(journal, "waiting for " + name(journal) + " to start alone with --force-new-cluster");
    }

    /** Its bootstrap refuses to start etcd on an empty data dir, and nothing it does will change that. */
    private Optional<Step> survivorLost(Journal journal) {
        return obs.pod(journal.ordinal()).filter(p -> p.reportedDataLoss() && !p.terminating())
                .map(p -> new Step.Blocked(ConditionReason.SurvivorNotStarting, name(journal) + ", chosen to recover from, has no data"
                        + " any more (its data dir holds no WAL: its volume was lost after it was chosen), so this recovery cannot"
                        + " finish. Nothing more is touched"));
    }

    private Step clearForceFlag(Journal journal) {
        Optional<Step> lost = survivorLost(journal);
        if (lost.isPresent()) {
            return lost.get();
        }
        Optional<PodState> pod = obs.pod(journal.ordinal());
        if (pod.isEmpty() || pod.get().terminating()) {
            return waitFor(journal, "waiting for the pod of " + name(journal) + " to come back");
        }
        if (pod.get().forcedNewCluster()) {
            return new Step.RestartPod(journal.ordinal(), RESTART_UNFORCED);
        }
        if (runsAlone(journal)) {
            return new Step.RecoveryProgress(Optional.empty(), ConditionReason.RecoveringFromSurvivor, "RecoveryCompleted", name(journal)
                    + " runs alone without --force-new-cluster; the cluster grows back to spec.replicas as learners join");
        }
        return waitFor(journal, "waiting for " + name(journal) + " to answer after its restart");
    }

    /**
     * A wait for the survivor, with its deadline: past it the survivor is taken not to start (its node or volume gone, or
     * etcd failing on damaged data), and the recovery stops there until a person supersedes or aborts it.
     */
    private Step waitFor(Journal journal, String what) {
        if (journal.phaseAge(obs.now()).compareTo(deadline) > 0) {
            return new Step.Blocked(ConditionReason.SurvivorNotStarting, name(journal) + ", chosen to recover from, has not run alone"
                    + " within the survivor deadline of " + deadline.toSeconds() + " s (" + what + "): its node or volume may be gone,"
                    + " or etcd fails on its data. Nothing more is touched");
        }
        return new Step.Wait(ConditionReason.RecoveringFromSurvivor, what + "; deadline " + journal.phaseStartedAt().plus(deadline), Pace.POD);
    }

    /** etcd has applied the forced membership: the survivor is the only member, and it serves linearizable reads. */
    private boolean runsAlone(Journal journal) {
        return obs.etcdReachable() && obs.members().size() == 1 && obs.members().get(0).id() == journal.memberId()
                && obs.members().get(0).healthy();
    }

    private String name(Journal journal) {
        return name(obs, journal);
    }

    static String name(ClusterObservation obs, Journal journal) {
        return obs.member(journal.memberId()).filter(ObservedMember::started).map(ObservedMember::name)
                .orElse("member " + Long.toHexString(journal.memberId()) + " (ordinal " + journal.ordinal() + ")");
    }

    private static Step.RestartPod.Purpose restart(String why) {
        return new Step.RestartPod.Purpose(ConditionReason.RecoveringFromSurvivor, why);
    }
}
