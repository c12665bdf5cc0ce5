package com.storageos.etcd.membership;

import com.storageos.etcd.api.v1alpha1.status.ConditionReason;
import com.storageos.etcd.membership.Journal.Operation;
import com.storageos.etcd.membership.Journal.Phase;
import com.storageos.etcd.naming.MemberAddressing;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * PURE: the peer URLs of a migration with spec.bootstrap.join.peerAddressing PodIP, for external nodes that reach pod IPs but
 * cannot resolve cluster DNS. While external members exist, each member of ours is advertised at {@code http://<podIP>:2380}.
 * Once they are gone, every member moves back to its stable DNS peer URL before the migration completes.
 *
 * <p>A learner is added at its pod's IP, so its pod starts first: the scale-up journal opens without a peer URL (its pod is
 * counted from then on), the pod starts and its bootstrap waits for the add, the journal records the pod's IP, and the
 * ordinary scale-up adds the learner there. Not under its DNS name and moved later: etcd 3.4's member update forgets that a
 * member is a learner (etcd-io/etcd#21694, fixed only in 3.5 and 3.6 backports), so a learner's URL is never updated.
 *
 * <p>A voter whose pod came back at a new IP follows it with member update, one at a time and only with quorum, and never
 * while a journal is open: a learner joining from the initial cluster recorded at its add would find the membership changed.
 */
final class PeerUrlPlanner {
    private static final Set<Migration.Phase> SHARED_MEMBERSHIP = EnumSet.of(Migration.Phase.Joining, Migration.Phase.SwitchingClients,
            Migration.Phase.AwaitingStorageOSRestart, Migration.Phase.RemovingExternalMembers);
    private final PlanInput in;
    private final ClusterObservation obs;

    private PeerUrlPlanner(PlanInput in) {
        this.in = in;
        this.obs = in.observation();
    }

    private static boolean applies(PlanInput in) {
        return in.migration().filter(MigrationInput::podIpPeers).flatMap(MigrationInput::recorded)
                .filter(m -> SHARED_MEMBERSHIP.contains(m.phase())).isPresent();
    }

    /** The migration planner's new learner, added at its pod's IP instead: its scale-up journal opens first, without a URL. */
    static Step podFirst(PlanInput in, Step migrationStep) {
        if (applies(in) && migrationStep instanceof Step.AddLearner a && a.journal().operation() == Operation.ScaleUp
                && a.journal().phase() == Phase.AddRequested && in.journal().isEmpty()) {
            return new Step.RecordJournal(Optional.of(a.journal().withPeerUrl("")), "PodBeforeLearner");
        }
        return migrationStep;
    }

    /** The step due now, if any: the pod-first part of an open scale-up, or one member update. */
    static Optional<Step> next(PlanInput in) {
        return applies(in) ? new PeerUrlPlanner(in).next() : Optional.empty();
    }

    private Optional<Step> next() {
        if (in.journal().isPresent()) {
            Journal j = in.journal().get();
            boolean podFirst = j.operation() == Operation.ScaleUp && j.phase() == Phase.AddRequested;
            return podFirst ? learnerAtPodIp(j) : Optional.empty();
        }
        if (!obs.hasQuorum()) {
            return Optional.empty();
        }
        boolean externalLeft = obs.members().stream().anyMatch(x -> x.ordinal() < 0);
        return obs.members().stream().filter(x -> x.ordinal() >= 0 && x.started() && x.voter())
                .map(x -> externalLeft ? toPodIp(x) : toDns(x)).flatMap(Optional::stream).findFirst();
    }

    /** Starts the learner's pod, then records its IP as the URL to add; a pod that got a new IP before the add moves the URL. */
    private Optional<Step> learnerAtPodIp(Journal j) {
        if (!j.peerUrl().isEmpty() && obs.memberWithPeerUrl(j.peerUrl()).isPresent()) {
            return Optional.empty();
        }
        if (obs.statefulSetReplicas() < j.ordinal() + 1) {
            return Optional.of(new Step.StartMember(j.ordinal(), j.ordinal() + 1));
        }
        Optional<String> url = podIpUrl(j.ordinal());
        if (url.isEmpty()) {
            return Optional.of(new Step.Wait(ConditionReason.LearnerStarting, "waiting for the pod of ordinal " + j.ordinal()
                    + " to get its IP: with peerAddressing PodIP the learner is added at it", Pace.POD));
        }
        return url.get().equals(j.peerUrl()) ? Optional.empty()
                : Optional.of(new Step.RecordJournal(Optional.of(j.withPeerUrl(url.get())), "LearnerPodIp"));
    }

    private Optional<String> podIpUrl(int ordinal) {
        return obs.pod(ordinal).filter(p -> !p.terminating()).map(PodState::ip).filter(s -> !s.isEmpty())
                .map(ip -> MemberAddressing.url(false, ip, MemberAddressing.PEER_PORT));
    }

    private Optional<Step> toPodIp(ObservedMember member) {
        return podIpUrl(member.ordinal()).filter(url -> !url.equals(member.peerUrl()))
                .map(url -> new Step.UpdatePeerUrl(member.id(), member.ordinal(), url, "its pod came back at a new IP"));
    }

    private Optional<Step> toDns(ObservedMember member) {
        String dns = in.peerUrlOf().apply(member.ordinal());
        return dns.equals(member.peerUrl()) ? Optional.empty() : Optional.of(new Step.UpdatePeerUrl(member.id(), member.ordinal(), dns,
                "the external members are gone: back to its stable DNS name"));
    }
}
