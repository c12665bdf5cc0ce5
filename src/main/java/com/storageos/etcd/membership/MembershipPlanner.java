package com.storageos.etcd.membership;

import com.storageos.etcd.api.v1alpha1.status.ConditionReason;
import com.storageos.etcd.membership.Journal.Operation;
import com.storageos.etcd.membership.Journal.Phase;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Decides the single next step from observed state and the journal. Pure: no clock, no I/O.
 * An open journal always takes precedence (see {@link JournalPlanner}); only without one does a new
 * change start. Repairs of members that are down, and scale-downs that keep quorum, go ahead while a
 * voter is unhealthy; a scale-up and a rolling restart of a healthy member wait until every voter is healthy.
 */
public final class MembershipPlanner {
    static final String NOSPACE = "NOSPACE";
    /** The {@link Step.RestartPod} purpose for a member whose etcd keeps failing in place. */
    public static final Step.RestartPod.Purpose FAILING_IN_PLACE = new Step.RestartPod.Purpose(ConditionReason.RecreatingFailedMember,
            "etcd keeps failing in place; a new pod reruns the bootstrap check");
    /**
     * The {@link Step.RestartPod} purpose for a member whose pod runs etcd as another member: on data of an earlier member of
     * this name, or of an earlier incarnation of the cluster (from before a restore or recovery). Such an etcd is never
     * joined (its peers refuse it), and the new pod's bootstrap refuses the data, so the member is replaced.
     */
    public static Step.RestartPod.Purpose servedByAnotherMember(ObservedMember m) {
        return new Step.RestartPod.Purpose(ConditionReason.ReplacingStaleMember, "the etcd in its pod runs as member "
                + Long.toHexString(m.answeredAs()) + ", not as member " + Long.toHexString(m.id()) + ": data of an earlier member of"
                + " this name or of an earlier cluster incarnation (a volume rolled back, a copy from before a restore); it is never"
                + " joined: a new pod reruns the bootstrap check, which refuses that data (moved aside, kept), and the member is"
                + " replaced under a new ID");
    }

    /** The next step; while the members disagree on who they are, only one that takes nothing away (see {@link MembershipDisagreement}). */
    public Step next(PlanInput in) {
        Step planned = plan(in);
        return in.observation().disagreement().map(d -> d.hold(planned, in.journal())).orElse(planned);
    }

    private Step plan(PlanInput in) {
        Optional<Step> served = RecoveryRequests.serve(in);
        if (served.isPresent()) {
            return served.get();
        }
        Optional<MigrationInput> migration = in.migration().filter(m -> !m.completed());
        if (migration.filter(MigrationInput::failed).isPresent()) {
            // A rollback supersedes the journal it interrupted (the failed scale-up): it sweeps every member of ours itself.
            return new MigrationPlanner(in, migration.get()).next();
        }
        Optional<Step> peerUrl = PeerUrlPlanner.next(in);
        if (peerUrl.isPresent()) {
            return peerUrl.get();
        }
        if (in.journal().isPresent()) {
            Journal journal = in.journal().get();
            return migration.filter(MigrationInput::joining).flatMap(m -> new JoinGuard(in, m).check(journal))
                    .orElseGet(() -> new JournalPlanner(in).continueWith(journal));
        }
        if (migration.isPresent()) {
            return PeerUrlPlanner.podFirst(in, new MigrationPlanner(in, migration.get()).next());
        }
        ClusterObservation obs = in.observation();
        if (!obs.etcdReachable()) {
            return !in.clusterFormed() ? bootstrap(obs) : restorePods(in).orElseGet(() -> QuorumVerdict.of(obs).blocked(
                    "no etcd member answers; the operator will not bootstrap a formed cluster again"));
        }
        if (!obs.hasQuorum()) {
            return restorePods(in).orElseGet(() -> QuorumVerdict.of(obs).blocked(obs.healthyVoters() + " of " + obs.voters().size()
                    + " voters are healthy, below quorum; no membership change is made until quorum returns"));
        }
        return adoptStrayLearner(obs)
                .or(() -> replaceLostMember(obs))
                .or(() -> alignPods(obs))
                .or(() -> recreateFailingMember(obs))
                .or(() -> RestartOrder.repairDown(obs))
                .or(() -> scaleDown(in, obs))
                .or(() -> QuorumGuard.canStartChange(obs).map(why -> new Step.Wait(ConditionReason.MemberUnhealthy, why, Pace.POD)))
                .or(() -> scaleUp(in, obs))
                .or(() -> RestartOrder.next(obs))
                .orElseGet(Step.Converged::new);
    }

    /** Quorum lost because the members' pods were scaled away, not their data: bring the pods back, never a backup. */
    private static Optional<Step> restorePods(PlanInput in) {
        int have = Math.max(in.observation().statefulSetReplicas(), 0);
        return have >= in.recordedPods() ? Optional.empty() : Optional.of(new Step.RestorePods(in.recordedPods(),
                "the StatefulSet runs " + have + " of the " + in.recordedPods() + " pods the recorded members need;"
                        + " restoring them on their volumes"));
    }

    /**
     * Just member 0, unless data claims above ordinal 0 exist: an earlier cluster of this name left them (the
     * EtcdCluster was recreated, or restored without its status), and they may hold its data. Then a pod for
     * every retained claim, so that the old members come back on their data and form their old quorum; the
     * journal names them, so that member 0, if its volume is new or empty, never forms a new cluster over them.
     */
    private static Step bootstrap(ClusterObservation obs) {
        Set<Integer> retained = obs.claimOrdinals().stream().filter(ordinal -> ordinal > 0).collect(Collectors.toSet());
        int last = retained.stream().mapToInt(Integer::intValue).max().orElse(0);
        return new Step.Bootstrap(Journal.bootstrap(last, retained, obs.now()), last + 1);
    }

    /** We write the journal before every add, so a learner without one lost its journal: finish its scale-up. */
    static Optional<Step> adoptStrayLearner(ClusterObservation obs) {
        return obs.members().stream().filter(m -> m.learner() && m.ordinal() >= 0).findFirst()
                .map(m -> new Step.RecordJournal(Optional.of(Journal.start(Operation.ScaleUp, Phase.MemberAdded,
                        m.ordinal(), m.peerUrl(), m.id(), obs.now())), "AdoptedLearner"));
    }

    private static Optional<Step> replaceLostMember(ClusterObservation obs) {
        return obs.members().stream()
                .filter(m -> m.ordinal() >= 0 && obs.pod(m.ordinal()).map(PodState::reportedDataLoss).orElse(false))
                .findFirst()
                .map(m -> QuorumGuard.canRemove(obs, m)
                        .<Step>map(why -> new Step.Wait(ConditionReason.QuorumAtRisk, why, Pace.POD))
                        .orElseGet(() -> new Step.RemoveMember(Journal.start(Operation.ReplaceMember, Phase.RemoveRequested,
                                m.ordinal(), m.peerUrl(), m.id(), obs.now()))));
    }

    /**
     * A voter whose etcd keeps failing in place (say its volume was emptied under the running pod), or whose pod runs etcd
     * as another member (a volume rolled back under the running pod to data of an earlier member or cluster incarnation;
     * its client URL never answers, but its metrics listener names the member it is), gets a new pod, so that the
     * bootstrap check runs again and can report lost or stale data: the kubelet restarts a container in place and never reruns the init container. One
     * pod at a time, and only while quorum holds (the planner gets here only then); the member is already down, so
     * quorum loses nothing.
     */
    private static Optional<Step> recreateFailingMember(ClusterObservation obs) {
        if (obs.pods().values().stream().anyMatch(PodState::terminating)) {
            return Optional.empty();
        }
        return obs.voters().stream().filter(m -> !m.healthy() && m.ordinal() >= 0)
                .filter(m -> m.servedByAnotherMember() || obs.pod(m.ordinal()).filter(PodState::crashLooping).isPresent())
                .findFirst()
                .map(m -> new Step.RestartPod(m.ordinal(), m.servedByAnotherMember() ? servedByAnotherMember(m) : FAILING_IN_PLACE));
    }

    /** The StatefulSet must run exactly one pod per member ordinal. */
    private static Optional<Step> alignPods(ClusterObservation obs) {
        int wanted = obs.memberPodCount();
        if (obs.statefulSetReplicas() < wanted) {
            return Optional.of(new Step.StartMember(wanted - 1, wanted));
        }
        // Retire only a pod that provably has no member: a member whose ordinal is unknown might be it.
        boolean allMapped = obs.members().stream().allMatch(m -> m.ordinal() >= 0);
        if (obs.statefulSetReplicas() > wanted && allMapped && obs.memberAt(obs.statefulSetReplicas() - 1).isEmpty()) {
            int ordinal = obs.statefulSetReplicas() - 1;
            return Optional.of(new Step.RetireOrdinal(ordinal, ordinal, Optional.of(Journal.start(Operation.RetirePod, Phase.MemberRemoved,
                    ordinal, "", 0, obs.now()))));
        }
        return Optional.empty();
    }

    static Optional<Step> scaleUp(PlanInput in, ClusterObservation obs) {
        if (ourVoters(obs) >= in.desiredReplicas()) {
            return Optional.empty();
        }
        if (obs.alarms().contains(NOSPACE)) {
            return Optional.of(new Step.Wait(ConditionReason.NoSpace, "scale-up to " + in.desiredReplicas() + " waits for etcd's NOSPACE alarm"
                    + " to clear: a new member would receive the full database and start over its quota too,"
                    + " and the cure (compaction, defrag, disarm) would have one more member to wait for", Pace.POD));
        }
        int ordinal = IntStream.iterate(0, i -> i + 1).filter(i -> obs.memberAt(i).isEmpty()).findFirst().orElseThrow();
        return Optional.of(new Step.AddLearner(Journal.start(Operation.ScaleUp, Phase.AddRequested, ordinal,
                in.peerUrlOf().apply(ordinal), 0, obs.now())));
    }

    /**
     * Removes the highest ordinal, also while another voter is unhealthy: {@link QuorumGuard#canRemove}
     * lets it go only if the healthy voters left still make the smaller cluster's quorum, and otherwise
     * the step waits (Progressing says why). Always the highest ordinal, even when a lower one among
     * those to go is the unhealthy one: a StatefulSet retires pods only from the top, so removing a
     * lower member first would leave its pod and volume under a live higher ordinal. When the unhealthy
     * one is among those to go, its removal follows at once: a down member counts for nothing in that check.
     */
    private static Optional<Step> scaleDown(PlanInput in, ClusterObservation obs) {
        if (ourVoters(obs) <= in.desiredReplicas()) {
            return Optional.empty();
        }
        ObservedMember highest = obs.voters().stream().filter(m -> m.ordinal() >= 0)
                .max(Comparator.comparingInt(ObservedMember::ordinal)).orElseThrow();
        return Optional.of(new JournalPlanner(in).removeSafely(highest,
                Journal.start(Operation.ScaleDown, Phase.RemoveRequested, highest.ordinal(), highest.peerUrl(), highest.id(), obs.now())));
    }

    private static long ourVoters(ClusterObservation obs) {
        return obs.voters().stream().filter(m -> m.ordinal() >= 0).count();
    }
}
