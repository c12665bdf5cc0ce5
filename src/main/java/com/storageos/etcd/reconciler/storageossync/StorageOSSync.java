package com.storageos.etcd.reconciler.storageossync;

import static com.storageos.etcd.reconciler.storageossync.SyncedCondition.isFalse;
import static com.storageos.etcd.reconciler.storageossync.SyncedCondition.isTrue;

import com.storageos.etcd.api.storageos.StorageOSCluster;
import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.spec.StorageOSSpec;
import com.storageos.etcd.api.v1alpha1.status.ConditionReason;
import com.storageos.etcd.api.v1alpha1.status.StorageOSReplacement;
import com.storageos.etcd.api.v1alpha1.status.StorageOSSyncStatus;
import com.storageos.etcd.clusterstatus.StatusConflict;
import com.storageos.etcd.membership.StorageOSNodes;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/** One pass: observe, decide, write the StorageOSCluster at most once, record the outcome. */
final class StorageOSSync {
    static final Duration RECHECK = Duration.ofSeconds(30);
    /** While a migration holds the address: a status write wakes this pass anyway; this covers a missed event. */
    static final Duration SETTLE_POLL = Duration.ofSeconds(5);
    /** Someone wrote what this pass read: decide again from what they wrote. */
    static final Duration RACED = Duration.ofSeconds(1);
    private final StorageOSSyncParts parts;

    StorageOSSync(StorageOSSyncParts parts) {
        this.parts = parts;
    }

    UpdateControl<EtcdCluster> run(Observed o) throws InterruptedException {
        Optional<StorageOSCluster> target;
        try {
            target = parts.clusters().get(o.namespace(), o.spec().getName());
        } catch (KubernetesClientException e) {
            if (e.getCode() != 403) {
                throw e;
            }
            return finish(o, null, null, isFalse(ConditionReason.StorageOSAccessDenied, "RBAC forbids the operator to read StorageOSCluster "
                    + o.target() + ". Install the chart with storageos.sync.enabled=true"
                    + (o.namespace().equals(o.cluster().getMetadata().getNamespace()) ? "" : " and namespace " + o.namespace()
                    + " in storageos.sync.namespaces") + "."), RECHECK);
        }
        StorageOSReplacement pending = o.recorded() == null ? null : o.recorded().getReplacement();
        if (pending != null) {
            // A Recreate under way (this operator's or a predecessor's): finished before anything else, whatever else waits.
            return resume(o, pending);
        }
        if (target.isEmpty()) {
            // No exception and no tight retry: the periodic recheck sees it appear.
            return parts.clusters().crdInstalled()
                    ? finish(o, null, null, isFalse(ConditionReason.WaitingForStorageOSCluster, "StorageOSCluster " + o.target()
                            + " does not exist; its address is written once it appears."), RECHECK)
                    : finish(o, null, null, isFalse(ConditionReason.StorageOSNotInstalled, "StorageOS is not installed:"
                            + " the API server has no storageosclusters.storageos.com. The address of StorageOSCluster "
                            + o.target() + " is written once StorageOS is installed and the object exists."), RECHECK);
        }
        if (o.heldByMigration()) {
            return finish(o, null, null, isFalse(ConditionReason.WaitingForMigration, "Migrating from an external etcd cluster:"
                    + " StorageOSCluster " + o.target() + " keeps its address '" + target.get().getSpec().address() + "' until every"
                    + " member of this cluster votes."), SETTLE_POLL);
        }
        if (o.address().isEmpty()) {
            return finish(o, null, null, isFalse(ConditionReason.WaitingForQuorum, "Too few healthy voters for quorum:"
                    + " StorageOSCluster " + o.target() + " keeps its address '" + target.get().getSpec().address()
                    + "' until quorum returns."), RECHECK);
        }
        EtcdClientSecretCopy.Outcome tls = parts.secrets().sync(o.cluster(), o.namespace());
        if (tls.missing()) {
            return finish(o, null, null, isFalse(ConditionReason.WaitingForClientSecret, tls.note()), RECHECK);
        }
        return converge(o, target.get(), tls);
    }

    private UpdateControl<EtcdCluster> converge(Observed o, StorageOSCluster target, EtcdClientSecretCopy.Outcome tls)
            throws InterruptedException {
        String current = target.getSpec().address();
        if (o.address().equals(current) && StorageOSClusterPatch.tlsMatches(target, tls.ref())) {
            return finish(o, current, null, inSync(o).withNote(tls.note()), RECHECK);
        }
        if (o.membersMode() && !o.verdict().settled()) {
            return finish(o, null, null, isFalse(ConditionReason.SettlingMembership, "Voters [" + o.verdict().voters()
                    + "] stable since " + o.verdict().stableSince() + "; writing '" + o.address() + "' once they have been"
                    + " stable for " + o.settle().toSeconds() + "s."), o.verdict().remaining());
        }
        warnIfEditedBack(o, current);
        String change = "spec.kvBackend.address of StorageOSCluster " + o.target() + " to '" + o.address()
                + "' (was '" + current + "')";
        if (o.spec().getUpdatePolicy() == StorageOSSpec.UpdatePolicy.Recreate) {
            return recreate(o, tls.ref(), change);
        }
        parts.clusters().setAddress(target, o.address(), tls.ref());
        parts.events().normal(o.cluster(), "StorageOSAddressUpdated", "Set " + change + ".");
        Instant now = parts.clock().instant();
        SyncedCondition after = afterChange(o, now, o.membersMode() ? restartRequired(o, "restart them to use it.") : synced(o));
        return finish(o, o.address(), now, after.withNote(tls.note()), RECHECK);
    }

    /** Someone changed the address we wrote; say so loudly before putting it back. */
    private void warnIfEditedBack(Observed o, String current) {
        StorageOSSyncStatus recorded = o.recorded();
        if (recorded != null && recorded.getAddress() != null && !recorded.getAddress().equals(current)) {
            parts.events().warning(o.cluster(), "StorageOSAddressOverwritten", "StorageOSCluster " + o.target()
                    + " spec.kvBackend.address was changed to '" + current + "' outside the operator; restoring '"
                    + o.address() + "'. Set spec.storageos on the EtcdCluster instead of editing the address.");
        }
    }

    /**
     * Records the replacement with a compare-and-swap on the EtcdCluster read at the start of this pass, before anything is
     * deleted: an operator stopped after the delete leaves it for the next pass to create, and of two operators in a
     * leader-election overlap only the one whose read is current gets to delete.
     */
    private UpdateControl<EtcdCluster> recreate(Observed o, EtcdClientTlsRef tls, String change) throws InterruptedException {
        StorageOSReplacement replacement = parts.recreation().replacementFor(o.namespace(), o.spec().getName(), o.address(), tls)
                .orElse(null);
        if (replacement == null) {
            return UpdateControl.<EtcdCluster>noUpdate().rescheduleAfter(RACED); // deleted since we read it: look again
        }
        try {
            parts.status().compareAndSwap(o.cluster(), s -> {
                s.setStorageos(s.getStorageos() == null ? new StorageOSSyncStatus() : s.getStorageos());
                s.getStorageos().setReplacement(replacement);
            });
        } catch (StatusConflict e) {
            return UpdateControl.<EtcdCluster>noUpdate().rescheduleAfter(RACED); // written since we read it: decide again
        }
        parts.events().normal(o.cluster(), "RecreatingStorageOSCluster", "Deleting and recreating StorageOSCluster "
                + o.target() + " (uid " + replacement.getReplacesUid() + ") to change " + change + "; StorageOS restarts."
                + " The replacement is recorded in status.storageos.replacement.");
        return resume(o, replacement);
    }

    /** Carries a recorded replacement on: the old object deleted by UID, then, once it is gone, the replacement created. */
    private UpdateControl<EtcdCluster> resume(Observed o, StorageOSReplacement pending) throws InterruptedException {
        StorageOSRecreation.Progress progress = parts.recreation().advance(pending);
        if (progress instanceof StorageOSRecreation.Progress.Terminating t) {
            return finish(o, null, null, isFalse(ConditionReason.RecreatingStorageOSCluster, "StorageOSCluster " + o.target()
                    + " (uid " + pending.getReplacesUid() + ") is being deleted, waiting for its finalizers " + t.finalizers()
                    + "; its replacement with address '" + pending.getAddress() + "' is recorded in status.storageos.replacement"
                    + " and created once it is gone."), SETTLE_POLL, null);
        }
        StorageOSRecreation.Progress.Done done = (StorageOSRecreation.Progress.Done) progress;
        if (!done.created()) {
            // Made by a pass that stopped before clearing the record, or by another operator: its address is checked next.
            return finish(o, null, null, isFalse(ConditionReason.RecreatingStorageOSCluster, "StorageOSCluster " + o.target()
                    + " was recreated (uid " + done.uid() + "); checking its address."), RACED, pending.getReplacesUid());
        }
        parts.events().normal(o.cluster(), "RecreatedStorageOSCluster", "Recreated StorageOSCluster " + o.target()
                + " (uid " + done.uid() + ") with the new address '" + pending.getAddress() + "'.");
        Instant now = parts.clock().instant();
        return finish(o, pending.getAddress(), now, afterChange(o, now, isTrue(ConditionReason.Synced, "StorageOSCluster "
                + o.target() + " was recreated with address '" + pending.getAddress() + "'.")), RECHECK, pending.getReplacesUid());
    }

    private SyncedCondition inSync(Observed o) {
        boolean ourWrite = o.recorded() != null && o.address().equals(o.recorded().getAddress());
        if (!ourWrite || o.recorded().getLastWriteTime() == null) {
            return synced(o);
        }
        // Without node pods to look at, a Members-mode patch keeps asking for a restart, as it cannot be seen.
        boolean restartPending = o.currentCondition().map(c -> ConditionReason.RestartRequired.name().equals(c.getReason())).orElse(false);
        return afterChange(o, Instant.parse(o.recorded().getLastWriteTime()),
                restartPending && o.membersMode() ? restartRequired(o, "restart them to use it.") : synced(o));
    }

    /**
     * A node reads the address only when its pod starts: RestartRequired while a StorageOS node pod started before the address
     * changed at {@code changedAt}, in every address mode and policy. {@code blind} when the node pods cannot be seen.
     */
    private SyncedCondition afterChange(Observed o, Instant changedAt, SyncedCondition blind) {
        Optional<StorageOSNodes> nodes = parts.nodes().read(o.cluster());
        if (nodes.isEmpty() || nodes.get().pods().isEmpty() || !nodes.get().unreadable().isEmpty()) {
            return blind.withNote(nodes.flatMap(n -> n.restartNeeded(changedAt)).map(why -> "(Node pods: " + why + ".)").orElse(null));
        }
        return nodes.get().restartNeeded(changedAt).map(why -> restartRequired(o, why + ".")).orElseGet(() -> synced(o));
    }

    private static SyncedCondition restartRequired(Observed o, String what) {
        return isTrue(ConditionReason.RestartRequired, "StorageOSCluster " + o.target() + " spec.kvBackend.address is '"
                + o.address() + "'. StorageOS nodes read the address only when they start: " + what);
    }

    private static SyncedCondition synced(Observed o) {
        return isTrue(ConditionReason.Synced, "StorageOSCluster " + o.target() + " uses '" + o.address() + "'.");
    }

    private UpdateControl<EtcdCluster> finish(Observed o, String address, Instant wroteAt, SyncedCondition condition,
            Duration requeue) {
        return finish(o, address, wroteAt, condition, requeue, null);
    }

    /**
     * Records what we know (address null / wroteAt null: keep the recorded value) and the condition. The recorded replacement
     * is kept as stored, unless it is the one this pass saw through ({@code replaced}, the UID it replaced): only the
     * compare-and-swap in {@link #recreate} sets it.
     */
    private UpdateControl<EtcdCluster> finish(Observed o, String address, Instant wroteAt, SyncedCondition condition,
            Duration requeue, String replaced) {
        StorageOSSyncStatus recorded = o.recorded() == null ? new StorageOSSyncStatus() : o.recorded();
        StorageOSSyncStatus sync = new StorageOSSyncStatus();
        sync.setAddress(address != null ? address : recorded.getAddress());
        sync.setLastWriteTime(wroteAt != null ? wroteAt.truncatedTo(ChronoUnit.SECONDS).toString() : recorded.getLastWriteTime());
        sync.setVoters(o.verdict().voters());
        sync.setVotersStableSince(o.verdict().stableSince().toString());
        Long generation = o.cluster().getMetadata().getGeneration();
        parts.status().update(o.cluster(), s -> {
            StorageOSReplacement stored = s.getStorageos() == null ? null : s.getStorageos().getReplacement();
            sync.setReplacement(stored == null || stored.getReplacesUid().equals(replaced) ? null : stored);
            s.setStorageos(sync);
            s.setConditions(condition.applyTo(s.getConditions(), generation, parts.clock().instant()));
        });
        return UpdateControl.<EtcdCluster>noUpdate().rescheduleAfter(requeue);
    }
}
