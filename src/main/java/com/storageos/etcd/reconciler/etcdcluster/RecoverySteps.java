package com.storageos.etcd.reconciler.etcdcluster;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.status.EtcdClusterStatus;
import com.storageos.etcd.api.v1alpha1.status.RecoveryStatus;
import com.storageos.etcd.desired.RecoveryAnnotation;
import com.storageos.etcd.events.ClusterEvents;
import com.storageos.etcd.membership.Step;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The steps of a recovery from a survivor that change only the journal and status.recovery: its start, a
 * refused request, and each phase's progress. The pod restarts between them are ordinary RestartPod steps.
 */
final class RecoverySteps {
    private final JournalStore journal;
    private final ClusterEvents events;
    private final EtcdCluster resource;
    private final Clock clock;

    RecoverySteps(JournalStore journal, ClusterEvents events, EtcdCluster resource, Clock clock) {
        this.journal = journal;
        this.events = events;
        this.resource = resource;
        this.clock = clock;
    }

    /**
     * Says what happens next, then records the journal and the request as handled in one write, before anything is
     * done. The event comes first so that an operator killed right after the write has still told the user; a write
     * that fails is retried and says it again.
     */
    StepResult start(Step.StartRecovery r) {
        String plan = "recovering from " + r.survivor() + " (raft index " + r.raftIndex() + ", revision " + r.revision()
                + ", the highest of the members that answered): it restarts alone with --force-new-cluster on its own data;"
                + " " + (r.others().isEmpty() ? "no other member" : String.join(", ", r.others())) + " leave the membership and"
                + " their data is moved aside on their volumes, never deleted; then the cluster grows back to spec.replicas";
        RecoveryStatus started = recovery(r.request().value(), "InProgress", plan);
        started.setSurvivor(r.survivor());
        started.setSurvivorRaftIndex(r.raftIndex());
        started.setSurvivorRevision(r.revision());
        started.setRemovedMembers(r.others());
        events.warning(resource, "RecoveryStarted", plan);
        journal.recordRecovery(Optional.of(r.journal()), started);
        return StepResult.after(Duration.ZERO);
    }

    /** A recovery record for this request, with who wrote the annotation and when, as the API server recorded it. */
    private RecoveryStatus recovery(String request, String outcome, String message) {
        RecoveryStatus s = new RecoveryStatus();
        s.setRequest(request);
        s.setOutcome(outcome);
        s.setMessage(message);
        s.setStartedAt(clock.instant().toString());
        RecoveryAnnotation.writer(resource).ifPresent(w -> {
            s.setRequestedBy(RecoveryAnnotation.describe(w));
            s.setRequestedAt(w.getTime());
        });
        return s;
    }

    StepResult refuse(Step.RefuseRecovery r) {
        journal.refuseRecovery(recovery(r.request().value(), "Refused", r.why()));
        events.warning(resource, "RecoveryRefused", "recovery request " + r.request().value() + " refused: " + r.why());
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
            journal.recordRecovery(Optional.empty(), done);
        }
        events.normal(resource, p.reason(), p.message());
        return StepResult.after(Duration.ZERO);
    }
}
