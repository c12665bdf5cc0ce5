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

    /**
     * etcd itself refuses {@code member add --learner} ("unhealthy cluster") unless every voter has been
     * connected for the last 5 s (its strict reconfiguration check, on by default; seen on 3.4.23).
     * A learner does not vote, so quorum is not what is at stake: asking etcd while a voter is down
     * would only be refused.
     */
    public static Optional<String> canAddLearner(ClusterObservation obs) {
        return obs.voters().stream().filter(m -> !m.healthy()).findFirst()
                .map(m -> "voter " + label(m) + " is not healthy; etcd adds a learner only while every voter is connected");
    }

    /** Promoting makes one more voter: the healthy voters, the learner among them, must reach the larger quorum. */
    public static Optional<String> canPromote(ClusterObservation obs, ObservedMember learner) {
        int voters = obs.voters().size() + 1;
        long healthy = obs.healthyVoters() + (learner.healthy() ? 1 : 0);
        if (healthy < QuorumMath.quorum(voters)) {
            return Optional.of("promoting " + label(learner) + " would leave " + healthy + " healthy of " + voters
                    + " voters, below quorum " + QuorumMath.quorum(voters));
        }
        return Optional.empty();
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
