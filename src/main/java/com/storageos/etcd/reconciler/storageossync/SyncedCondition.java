package com.storageos.etcd.reconciler.storageossync;

import com.storageos.etcd.api.v1alpha1.status.ConditionReason;
import com.storageos.etcd.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/**
 * PURE: the StorageOSSynced condition, the only entry of status.conditions this controller owns.
 * Every other entry belongs to the EtcdCluster reconciler and is passed through untouched.
 */
public record SyncedCondition(boolean synced, ConditionReason reason, String message) {
    public static final String TYPE = "StorageOSSynced";

    public static SyncedCondition isTrue(ConditionReason reason, String message) {
        return new SyncedCondition(true, reason, message);
    }

    public static SyncedCondition isFalse(ConditionReason reason, String message) {
        return new SyncedCondition(false, reason, message);
    }

    public SyncedCondition withNote(String note) {
        return note == null ? this : new SyncedCondition(synced, reason, message + " " + note);
    }

    /** The list with our entry replaced; lastTransitionTime moves only when the status flips. */
    public List<Condition> applyTo(List<Condition> conditions, Long generation, Instant now) {
        return new Conditions(Clock.fixed(now, ZoneOffset.UTC)).upsert(conditions, TYPE, synced, reason, message, generation);
    }

    public static List<Condition> without(List<Condition> conditions) {
        return Conditions.remove(conditions, TYPE);
    }

    public static Optional<Condition> find(List<Condition> conditions) {
        return Conditions.find(conditions, TYPE);
    }
}
