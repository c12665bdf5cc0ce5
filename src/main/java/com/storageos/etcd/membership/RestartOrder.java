package com.storageos.etcd.membership;

import com.storageos.etcd.api.v1alpha1.status.ConditionReason;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which member restarts next when the pod template changed (version, flags, resources). One pod at a
 * time: unready pods first (they serve nothing), then followers from the highest ordinal, the leader
 * last and only after leadership moved away. A ready pod restarts only once every voter is healthy in
 * etcd's eyes AND every member pod is Ready in the kubelet's: the disruption budget, the client Service
 * and a node drain all count pod readiness, and a restarted member is healthy in etcd seconds before
 * its readiness probe passes.
 */
public final class RestartOrder {
    private static final Duration POLL = Duration.ofMillis(500);

    private RestartOrder() {
    }

    /**
     * A voter that is down, whose pod is not Ready and runs an old template, restarts onto the current
     * one while other voters are unhealthy too, as long as quorum holds without it: it is down already, so the
     * restart costs nothing, and it is how a rollout that broke a pod (a flag etcd rejects, an image that
     * does not exist) is repaired by fixing the spec. The every-voter-healthy rule would keep it broken forever.
     */
    public static Optional<Step> repairDown(ClusterObservation obs) {
        if (!obs.hasQuorum() || obs.pods().values().stream().anyMatch(PodState::terminating)) {
            return Optional.empty();
        }
        return obs.voters().stream().filter(m -> !m.healthy() && m.ordinal() >= 0)
                .filter(m -> obs.pod(m.ordinal()).map(p -> !p.currentRevision() && !p.ready()).orElse(false))
                .findFirst()
                .map(m -> new Step.RestartPod(m.ordinal(), "its member is down and its pod runs an old template;"
                        + " restarting it onto the current one costs no quorum" + left(obs)));
    }

    /** The next step of a rollout; only consulted once every voter is healthy. */
    public static Optional<Step> next(ClusterObservation obs) {
        List<PodState> stale = stale(obs);
        if (stale.isEmpty()) {
            return Optional.empty();
        }
        Optional<PodState> terminating = obs.pods().values().stream().filter(PodState::terminating).findFirst();
        if (terminating.isPresent()) {
            return Optional.of(waiting("waiting for the pod of " + name(obs, terminating.get().ordinal()) + " to stop" + left(obs)));
        }
        Optional<PodState> unready = stale.stream().filter(p -> !p.ready()).findFirst();
        if (unready.isPresent()) {
            return Optional.of(new Step.RestartPod(unready.get().ordinal(), "not ready, runs an old template" + left(obs)));
        }
        Optional<PodState> notReady = obs.pods().values().stream().filter(p -> !p.ready()).findFirst();
        if (notReady.isPresent()) {
            return Optional.of(waiting("waiting for the pod of " + name(obs, notReady.get().ordinal()) + " to be Ready before restarting "
                    + name(obs, nextOrdinal(obs, stale)) + left(obs)));
        }
        Optional<PodState> follower = stale.stream()
                .filter(p -> obs.memberAt(p.ordinal()).map(m -> !m.leader()).orElse(true))
                .max(Comparator.comparingInt(PodState::ordinal));
        if (follower.isPresent()) {
            return Optional.of(new Step.RestartPod(follower.get().ordinal(), "rolling out the new template, followers first" + left(obs)));
        }
        ObservedMember leader = obs.leader().orElseThrow();
        return obs.voters().stream().filter(m -> m.id() != leader.id() && m.healthy()).findFirst()
                .<Step>map(to -> new Step.MoveLeader(leader.id(), to.id()))
                .or(() -> Optional.of(new Step.RestartPod(leader.ordinal(), "the only member runs an old template")));
    }

    /** How far a rollout is, for messages: {@code "; 1 of 3 members on the new template"}. */
    public static String left(ClusterObservation obs) {
        return "; " + onNewTemplate(obs) + " of " + obs.pods().size() + " members on the new template";
    }

    /** Member pods on the current template, a terminating one not among them: it is not replaced yet. */
    public static int onNewTemplate(ClusterObservation obs) {
        return obs.pods().size() - stale(obs).size();
    }

    /** Pods on an old template, a terminating one included: it is not replaced yet. */
    public static List<PodState> stale(ClusterObservation obs) {
        return obs.pods().values().stream().filter(p -> !p.currentRevision()).toList();
    }

    /** The pod the rollout restarts next: an unready one, else the highest follower, else the leader. */
    private static int nextOrdinal(ClusterObservation obs, List<PodState> stale) {
        return stale.stream().max(Comparator.comparing((PodState p) -> obs.memberAt(p.ordinal()).map(m -> !m.leader()).orElse(true))
                .thenComparingInt(PodState::ordinal)).orElseThrow().ordinal();
    }

    private static Step waiting(String message) {
        return new Step.Wait(ConditionReason.RollingUpdate, message, POLL);
    }

    private static String name(ClusterObservation obs, int ordinal) {
        return obs.memberAt(ordinal).filter(ObservedMember::started).map(ObservedMember::name).orElse("ordinal " + ordinal);
    }
}
