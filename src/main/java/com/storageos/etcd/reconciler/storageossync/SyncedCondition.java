package com.storageos.etcd.reconciler.storageossync;

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
    public static final String WAITING_FOR_MIGRATION = "WaitingForMigration";

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
        return new Conditions(Clock.fixed(now, ZoneOffset.UTC)).upsert(conditions, TYPE, synced, reason, message, generation);
    }

    public static List<Condition> without(List<Condition> conditions) {
        return Conditions.remove(conditions, TYPE);
    }

    public static Optional<Condition> find(List<Condition> conditions) {
        return Conditions.find(conditions, TYPE);
    }
}
