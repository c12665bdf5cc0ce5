package com.storageos.etcd.reconciler.etcdcluster;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.status.EtcdClusterStatus;
import com.storageos.etcd.api.v1alpha1.status.RecoveryStatus;
import com.storageos.etcd.desired.RecoveryAnnotation;
import com.storageos.etcd.desired.RestoreSource;
import com.storageos.etcd.events.ClusterEvents;
import com.storageos.etcd.membership.RecoveryRequest;
import com.storageos.etcd.membership.Step;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.reconciler.etcdcluster.journal.JournalStore;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The steps of a recovery (from a survivor, or from a backup) that change only the journal and status.recovery: its
 * start, a refused request, and each phase's progress. The pod restarts between them are ordinary RestartPod steps.
 */
final class RecoverySteps {
    private final JournalStore journal;
    private final ClusterEvents events;
    private final EtcdCluster resource;
    private final Clock clock;
    private final LongSupplier clusterId;

    RecoverySteps(JournalStore journal, ClusterEvents events, EtcdCluster resource, Clock clock, LongSupplier clusterId) {
        this.journal = journal;
        this.clusterId = clusterId;
        this.events = events;
        this.resource = resource;
        this.clock = clock;
    }

    /**
     * Records the journal and the request as handled in one write, before anything is done, then says what happens next.
     * The events come only once the write went through: a lost compare-and-swap (another operator wrote first) started
     * nothing. An operator killed between the two leaves the plan in status.recovery.message.
     */
    StepResult start(Step.StartRecovery r) {
        String plan = "recovering from " + r.survivor() + " (raft index " + r.raftIndex() + ", revision " + r.revision()
                + ", the highest of the members that answered): it restarts alone with --force-new-cluster on its own data;"
                + " " + (r.others().isEmpty() ? "no other member" : String.join(", ", r.others())) + " leave the membership and"
                + " their data is moved aside on their volumes, never deleted; then the cluster grows back to spec.replicas";
        RecoveryStatus started = recovery(r.request(), "InProgress", plan);
        started.setSurvivor(r.survivor());
        started.setSurvivorRaftIndex(r.raftIndex());
        started.setSurvivorRevision(r.revision());
        started.setRemovedMembers(r.others());
        journal.recordRecovery(Optional.of(r.journal()), started);
        supersedes(r.supersedes(), plan);
        events.warning(resource, "RecoveryStarted", plan);
        return StepResult.after(Duration.ZERO);
    }

    /**
     * Records the journal and the request as handled in one write, then says what happens, as {@link #start} does. The
     * bootstrap of member 0 reads the backup to restore from the status.recovery written here.
     */
    StepResult startRestore(Step.StartRestore r) {
        String plan = "restoring backup " + r.request().backup() + " from " + r.request().source().orElse("") + " in place: every"
                + " member pod restarts; " + (r.replaced().isEmpty() ? "each member's" : String.join(", ", r.replaced()) + ": their")
                + " data is moved aside on their volumes, never deleted; " + memberZero() + " starts alone on the restored backup"
                + " (every write since the backup is lost), then the cluster grows back to spec.replicas";
        RecoveryStatus started = recovery(r.request(), "InProgress", plan);
        started.setBackup(r.request().backup());
        started.setBackupSource(r.request().source().orElse(null));
        started.setRemovedMembers(r.replaced());
        started.setClusterToken(new ClusterNames(resource.getMetadata().getName(), resource.getMetadata().getNamespace())
                .clusterToken("restore-" + clock.instant().toEpochMilli()));
        journal.recordRecovery(Optional.of(r.journal()), started);
        supersedes(r.supersedes(), plan);
        events.warning(resource, "RestoreStarted", plan);
        return StepResult.after(Duration.ZERO);
    }

    /** A start that replaced an open recovery (in its one compare-and-swap) says so. */
    private void supersedes(Optional<String> recovery, String plan) {
        recovery.ifPresent(old -> events.warning(resource, "RecoverySuperseded", old + " is superseded by a new request, and stops"
                + " where it stood: " + plan));
    }

    private String memberZero() {
        return resource.getMetadata().getName() + "-0";
    }

    /**
     * A recovery record for this request, with who wrote the annotation and when, as the API server recorded it, and
     * the request marked as handled beside the values already served of the other annotation.
     */
    private RecoveryStatus recovery(RecoveryRequest request, String outcome, String message) {
        Optional<RecoveryStatus> previous = Optional.ofNullable(resource.getStatus()).map(EtcdClusterStatus::getRecovery);
        var handled = new HashMap<String, String>(previous.map(RecoveryStatus::getHandled).orElse(Map.of()));
        if (previous.map(RecoveryStatus::getHandled).isEmpty()) {
            // Written before status.recovery.handled: the request was a survivor recovery's.
            previous.map(RecoveryStatus::getRequest).ifPresent(v -> handled.put(RecoveryAnnotation.ANNOTATION, v));
        }
        String annotation = RecoveryAnnotation.annotationOf(request);
        handled.put(annotation, request.value());
        RecoveryStatus s = new RecoveryStatus();
        s.setRequest(request.value());
        s.setMethod(request.method().name());
        s.setHandled(handled);
        s.setOutcome(outcome);
        s.setMessage(message);
        s.setStartedAt(clock.instant().toString());
        RecoveryAnnotation.writer(resource, annotation).ifPresent(w -> {
            s.setRequestedBy(RecoveryAnnotation.describe(w));
            s.setRequestedAt(w.getTime());
        });
        return s;
    }

    StepResult refuse(Step.RefuseRecovery r) {
        journal.refuseRecovery(recovery(r.request(), "Refused", r.why()));
        events.warning(resource, "RecoveryRefused", RecoveryAnnotation.annotationOf(r.request()) + "=" + r.request().value()
                + " refused: " + r.why());
        return StepResult.after(Duration.ZERO);
    }

    /**
     * The journal closed and the recovery recorded as Aborted, with why, in one write, an abort request among the values
     * handled; the Event says so.
     */
    StepResult abort(Step.AbortRecovery a) {
        RecoveryStatus aborted = Optional.ofNullable(resource.getStatus()).map(EtcdClusterStatus::getRecovery).orElseGet(RecoveryStatus::new);
        a.request().ifPresent(request -> {
            var handled = new HashMap<String, String>(Optional.ofNullable(aborted.getHandled()).orElse(Map.of()));
            handled.put(RecoveryAnnotation.annotationOf(request), request.value());
            aborted.setHandled(handled);
        });
        aborted.setOutcome("Aborted");
        aborted.setMessage(a.why());
        aborted.setCompletedAt(clock.instant().toString());
        events.warning(resource, "RecoveryAborted", a.why());
        journal.recordRecovery(Optional.empty(), aborted);
        return StepResult.after(Duration.ZERO);
    }

    /** The next phase recorded, or the recovery closed as Completed. */
    StepResult progress(Step.RecoveryProgress p) {
        if (p.next().isPresent()) {
            journal.record(p.next(), null);
        } else {
            RecoveryStatus done = Optional.ofNullable(resource.getStatus()).map(EtcdClusterStatus::getRecovery).orElseGet(RecoveryStatus::new);
            done.setOutcome("Completed");
            done.setMessage(p.message());
            done.setCompletedAt(clock.instant().toString());
            p.recovered().ifPresent(r -> {
                done.setRestoredRevision(r.revision().isPresent() ? r.revision().getAsLong() : null);
                done.setRestoredComplete(r.complete());
            });
            if (RestoreSource.inPlace(resource)) {
                // A restored backup is a new etcd cluster, with a new ID.
                journal.recordRestored(done, Long.toHexString(clusterId.getAsLong()));
            } else {
                journal.recordRecovery(Optional.empty(), done);
            }
        }
        if (p.recovered().filter(r -> !r.complete()).isPresent()) {
            events.warning(resource, p.reason(), p.message());
        } else {
            events.normal(resource, p.reason(), p.message());
        }
        return StepResult.after(Duration.ZERO);
    }
}
