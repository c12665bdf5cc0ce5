package com.storageos.etcd.status;

import com.storageos.etcd.api.v1alpha1.status.ConditionReason;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Which condition changes deserve an Event: quorum lost or back, the cluster becoming ready, and a step
 * starting to fail (once per distinct error: the same failure retried emits nothing new).
 */
public final class ConditionTransitions {
    /** An Event to emit: {@code normal} false means Warning. */
    public record Notice(boolean normal, String reason, String message) { }

    private ConditionTransitions() {
    }

    public static List<Notice> between(List<Condition> before, List<Condition> after) {
        return Stream.of(
                        changed(before, after, Conditions.AVAILABLE).map(c -> "True".equals(c.getStatus())
                                ? new Notice(true, "QuorumRestored", c.getMessage())
                                : new Notice(false, c.getReason(), c.getMessage())),
                        changed(before, after, Conditions.READY).filter(c -> "True".equals(c.getStatus()))
                                .map(c -> new Notice(true, "ClusterReady", c.getMessage())),
                        newStepFailure(before, after).map(c -> new Notice(false, c.getReason(), c.getMessage())))
                .flatMap(Optional::stream)
                .filter(n -> n.normal() || !ConditionReason.Bootstrapping.name().equals(n.reason()))
                .toList();
    }

    private static Optional<Condition> newStepFailure(List<Condition> before, List<Condition> after) {
        Optional<Condition> was = Conditions.find(before, Conditions.DEGRADED);
        return Conditions.find(after, Conditions.DEGRADED).filter(now -> ConditionReason.StepFailed.name().equals(now.getReason()))
                .filter(now -> was.map(w -> !Objects.equals(w.getReason(), now.getReason()) || !Objects.equals(w.getMessage(), now.getMessage()))
                        .orElse(true));
    }

    /** The new condition of {@code type}, if its status differs from before (a first appearance counts only when True). */
    private static Optional<Condition> changed(List<Condition> before, List<Condition> after, String type) {
        Optional<String> was = Conditions.find(before, type).map(Condition::getStatus);
        return Conditions.find(after, type)
                .filter(now -> was.map(w -> !Objects.equals(w, now.getStatus())).orElse("True".equals(now.getStatus())));
    }
}
