package com.storageos.etcd.status;

import com.storageos.etcd.api.v1alpha1.status.ConditionReason;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Conditions in the metav1.Condition shape. lastTransitionTime changes only when the status does,
 * so that "Ready since" stays meaningful across reconciles.
 */
public final class Conditions {
    public static final String READY = "Ready";
    public static final String AVAILABLE = "Available";
    public static final String PROGRESSING = "Progressing";
    public static final String DEGRADED = "Degraded";
    public static final String EVEN_MEMBER_COUNT = "EvenMemberCount";
    /** True while spec.storage.size cannot hold spec.etcd.quotaBackendBytes (see StatusComputer.volumeFitsQuota). */
    public static final String QUOTA_EXCEEDS_VOLUME = "QuotaExceedsVolume";
    /** True while the operator replaces the cluster's generated CA (see CaRotationPlanner). */
    public static final String CA_ROTATING = "CaRotating";
    /** The status of a condition the operator cannot judge (Kubernetes API conventions). */
    public static final String UNKNOWN = "Unknown";

    private final Clock clock;

    public Conditions(Clock clock) {
        this.clock = clock;
    }

    /**
     * Returns a new list with {@code type} set, in its old place (so that an unchanged condition gives an equal
     * list, and no write); other types are kept as they are. The one way every writer of this status, the
     * operator's reconcilers and the tools, sets a condition.
     */
    public List<Condition> upsert(List<Condition> current, String type, boolean status, ConditionReason reason, String message, Long generation) {
        return upsert(current, type, status ? "True" : "False", reason, message, generation);
    }

    /** As {@link #upsert(List, String, boolean, ConditionReason, String, Long)}, with the status as written: True, False or Unknown. */
    public List<Condition> upsert(List<Condition> current, String type, String statusText, ConditionReason reason, String message,
                                  Long generation) {
        List<Condition> next = new ArrayList<>(current == null ? List.of() : current);
        Optional<Condition> previous = find(next, type);
        String transition = previous.filter(c -> statusText.equals(c.getStatus())).map(Condition::getLastTransitionTime)
                .orElseGet(() -> Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString());
        Condition ours = new ConditionBuilder().withType(type).withStatus(statusText).withReason(reason.name())
                .withMessage(message).withObservedGeneration(generation).withLastTransitionTime(transition).build();
        int at = previous.map(next::indexOf).orElse(-1);
        if (at >= 0) {
            next.set(at, ours);
        } else {
            next.add(ours);
        }
        return next;
    }

    public static List<Condition> remove(List<Condition> current, String type) {
        List<Condition> next = new ArrayList<>(current == null ? List.of() : current);
        next.removeIf(c -> type.equals(c.getType()));
        return next;
    }

    public static Optional<Condition> find(List<Condition> conditions, String type) {
        return conditions == null ? Optional.empty() : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    public static boolean isTrue(List<Condition> conditions, String type) {
        return find(conditions, type).map(c -> "True".equals(c.getStatus())).orElse(false);
    }
}
