package com.storageos.etcd.reconciler.kvbackend;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * PURE: the StorageOSSynced condition, the only entry of status.conditions this controller owns.
 * Every other entry belongs to the EtcdCluster reconciler and is passed through untouched.
 */
public record SyncedCondition(boolean synced, String reason, String message) {
    public static final String TYPE = "StorageOSSynced";
    public static final String SYNCED = "Synced";
    public static final String RESTART_REQUIRED = "RestartRequired";
    public static final String SETTLING = "SettlingMembership";
    public static final String WAITING_FOR_STORAGEOS = "WaitingForStorageOSCluster";
    public static final String STORAGEOS_NOT_INSTALLED = "StorageOSNotInstalled";
    public static final String ACCESS_DENIED = "StorageOSAccessDenied";
    public static final String WAITING_FOR_QUORUM = "WaitingForQuorum";
    public static final String WAITING_FOR_CLIENT_SECRET = "WaitingForClientSecret";

    public static SyncedCondition isTrue(String reason, String message) {
        return new SyncedCondition(true, reason, message);
    }

    public static SyncedCondition isFalse(String reason, String message) {
        return new SyncedCondition(false, reason, message);
    }

    public SyncedCondition withNote(String note) {
        return note == null ? this : new SyncedCondition(synced, reason, message + " " + note);
    }

    /** The list with our entry replaced; lastTransitionTime moves only when the status flips. */
    public List<Condition> applyTo(List<Condition> conditions, Long generation, Instant now) {
        String status = synced ? "True" : "False";
        String since = find(conditions).filter(c -> status.equals(c.getStatus()))
                .map(Condition::getLastTransitionTime)
                .orElse(now.truncatedTo(ChronoUnit.SECONDS).toString());
        Condition ours = new ConditionBuilder().withType(TYPE).withStatus(status).withReason(reason)
                .withMessage(message).withLastTransitionTime(since).withObservedGeneration(generation).build();
        // Replace in place so that an unchanged condition yields an equal list (and no write).
        List<Condition> result = new ArrayList<>(safe(conditions).stream()
                .map(c -> TYPE.equals(c.getType()) ? ours : c).toList());
        if (find(conditions).isEmpty()) {
            result.add(ours);
        }
        return result;
    }

    public static List<Condition> without(List<Condition> conditions) {
        return safe(conditions).stream().filter(c -> !TYPE.equals(c.getType())).toList();
    }

    public static Optional<Condition> find(List<Condition> conditions) {
        return safe(conditions).stream().filter(c -> TYPE.equals(c.getType())).findFirst();
    }

    private static List<Condition> safe(List<Condition> conditions) {
        return conditions == null ? List.of() : conditions;
    }
}
