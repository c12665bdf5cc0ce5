package com.storageos.etcd.membership;

import java.util.Optional;

/** The rules no membership change may break. Each answer is empty when the change is safe, else why not. */
public final class QuorumGuard {
    private QuorumGuard() {
    }

    /** A change starts only when every voter is healthy: a reconfiguration needs a working quorum to commit. */
    public static Optional<String> canStartChange(ClusterObservation obs) {
        return obs.voters().stream().filter(m -> !m.healthy()).findFirst()
                .map(m -> "voter " + label(m) + " is not healthy; no membership change starts until every voter is");
    }

    /** Removing a voter must leave enough healthy voters for the smaller cluster's quorum. */
    public static Optional<String> canRemove(ClusterObservation obs, ObservedMember member) {
        if (member.learner()) {
            return Optional.empty();
        }
        int remaining = obs.voters().size() - 1;
        long healthyRemaining = obs.healthyVoters() - (member.healthy() ? 1 : 0);
        if (remaining < 1 || healthyRemaining < QuorumMath.quorum(remaining)) {
            return Optional.of("removing " + label(member) + " would leave " + healthyRemaining + " healthy of "
                    + remaining + " voters, below quorum " + QuorumMath.quorum(Math.max(remaining, 1)));
        }
        return Optional.empty();
    }

    static String label(ObservedMember m) {
        return m.started() ? m.name() : Long.toHexString(m.id());
    }
}
