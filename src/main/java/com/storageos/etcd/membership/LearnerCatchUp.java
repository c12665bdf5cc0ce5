package com.storageos.etcd.membership;

import com.storageos.etcd.api.v1alpha1.status.ConditionReason;
import java.time.Duration;
import java.util.Optional;

/**
 * How far a learner got, judged by its raft index against the leader's where both answered their status call, and
 * whether it is stuck: past the learner deadline without catching up, or holding up the repair of a lost voter. etcd
 * promotes a learner only once its log reaches 90% of the leader's ({@code readyPercentThreshold} in etcd's server), and
 * the same bar is used here, so that a learner still behind is waited for, not asked to promote over and over.
 */
public record LearnerCatchUp(ObservedMember learner, ClusterObservation obs, Duration deadline) {
    /** etcd's own bar for {@code member promote}: the learner's log at 90% of the leader's. */
    static final double READY_FRACTION = 0.9;

    /** The leader's raft index, 0 when no leader answered its status call. */
    long leaderIndex() {
        return obs.leader().map(ObservedMember::raftIndex).orElse(0L);
    }

    /** Behind by its own and the leader's words; a learner or leader that did not say is not judged behind. */
    boolean behind() {
        return learner.answeredStatus() && leaderIndex() > 0 && learner.raftIndex() < leaderIndex() * READY_FRACTION;
    }

    /** Started, answering and within etcd's bar: only such a learner is asked to promote. */
    boolean caughtUp() {
        return learner.started() && learner.healthy() && !behind();
    }

    /** Where it stands, for people. */
    String state() {
        String who = "learner " + QuorumGuard.label(learner);
        if (!learner.started()) {
            return who + " has not started";
        }
        if (!learner.healthy()) {
            return who + " does not answer";
        }
        return at(learner, leaderIndex());
    }

    /** {@code "learner etcd-3 at raft index 900 of 1000 (90%)"}: its raft index against the leader's, 0 when no leader answered. */
    public static String at(ObservedMember learner, long leaderIndex) {
        return "learner " + QuorumGuard.label(learner) + " at raft index " + learner.raftIndex()
                + (leaderIndex > 0 ? " of " + leaderIndex + " (" + Math.min(100, learner.raftIndex() * 100 / leaderIndex) + "%)" : "");
    }

    /**
     * Why it is removed now, if it is: a lost voter's repair goes first (a learner does not count for quorum, so removing it
     * costs nothing), and past the deadline a learner that has not caught up goes; it is added again later.
     */
    Optional<Step.RestartPod.Purpose> removal(Journal journal, boolean lostVoterWaits) {
        if (caughtUp()) {
            return Optional.empty();
        }
        if (lostVoterWaits) {
            return Optional.of(new Step.RestartPod.Purpose(ConditionReason.RemovingStuckLearner, state() + ", and a lost voter's repair"
                    + " goes first; it is added again once the voters are repaired"));
        }
        if (journal.phaseAge(obs.now()).compareTo(deadline) > 0) {
            return Optional.of(new Step.RestartPod.Purpose(ConditionReason.RemovingStuckLearner, state() + " within the learner deadline"
                    + " of " + deadline.toSeconds() + " s; it is removed and added again later"));
        }
        return Optional.empty();
    }
}
