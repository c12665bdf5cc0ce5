package com.storageos.etcd.rollout;

import com.storageos.etcd.membership.ClusterObservation;
import com.storageos.etcd.membership.ObservedMember;
import com.storageos.etcd.membership.PodState;
import com.storageos.etcd.membership.Step;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which member restarts next when the pod template changed (version, flags, resources).
 * One at a time, only while every voter is healthy: unhealthy pods first (they serve nothing),
 * then followers from the highest ordinal, the leader last and only after leadership moved away.
 */
public final class RestartOrder {
    private RestartOrder() {
    }

    public static Optional<Step> next(ClusterObservation obs) {
        List<PodState> stale = obs.pods().values().stream().filter(p -> !p.currentRevision() && !p.terminating()).toList();
        if (stale.isEmpty() || obs.pods().values().stream().anyMatch(PodState::terminating)) {
            return Optional.empty();
        }
        Optional<PodState> unready = stale.stream().filter(p -> !p.ready()).findFirst();
        if (unready.isPresent()) {
            return Optional.of(new Step.RestartPod(unready.get().ordinal(), "not ready, runs an old template"));
        }
        Optional<PodState> follower = stale.stream()
                .filter(p -> obs.memberAt(p.ordinal()).map(m -> !m.leader()).orElse(true))
                .max(Comparator.comparingInt(PodState::ordinal));
        if (follower.isPresent()) {
            return Optional.of(new Step.RestartPod(follower.get().ordinal(), "rolling out the new template"));
        }
        ObservedMember leader = obs.leader().orElseThrow();
        return obs.voters().stream().filter(m -> m.id() != leader.id() && m.healthy()).findFirst()
                .<Step>map(to -> new Step.MoveLeader(leader.id(), to.id()))
                .or(() -> Optional.of(new Step.RestartPod(leader.ordinal(), "the only member runs an old template")));
    }
}
