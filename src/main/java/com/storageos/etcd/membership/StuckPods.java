package com.storageos.etcd.membership;

import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * Member pods stuck Terminating. A pod whose grace period ended more than a minute ago is one no kubelet confirms stopped:
 * on a real cluster its node is gone, and only a person who knows that can free it. Until then the StatefulSet makes no new
 * pod of that name, and whatever waits for it (a rollout, a recovery) waits for good.
 */
public final class StuckPods {
    static final Duration PAST_GRACE = Duration.ofMinutes(1);

    private StuckPods() {
    }

    /** The sentence naming the longest-stuck pod and the command that frees it, or empty when none is stuck. */
    public static Optional<String> hint(ClusterObservation obs, IntFunction<String> podName) {
        return obs.pods().values().stream()
                .filter(p -> p.terminating() && p.graceEnds() != null && p.graceEnds().plus(PAST_GRACE).isBefore(obs.now()))
                .min(Comparator.comparing(PodState::graceEnds))
                .map(p -> "pod " + podName.apply(p.ordinal()) + " has been terminating for "
                        + Duration.between(p.graceEnds(), obs.now()).toSeconds() + " s past its grace period: its node may be gone."
                        + " Once you know that node is down, free it with kubectl delete pod " + podName.apply(p.ordinal())
                        + " --grace-period=0 --force; the StatefulSet then recreates it");
    }
}
