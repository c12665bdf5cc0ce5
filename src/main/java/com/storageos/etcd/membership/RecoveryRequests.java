package com.storageos.etcd.membership;

import com.storageos.etcd.membership.Journal.Operation;
import com.storageos.etcd.naming.RequestAnnotations;
import java.util.Optional;

/**
 * Serves a person's recovery request, before any open journal: with quorum lost, that journal can only be blocked. A
 * recovery that cannot finish is never a dead end: a recovery from a survivor is superseded by a new survivor request
 * that chooses another survivor, or by a restore from a backup; a restore by a new restore request; and either is closed
 * by an abort request. A superseding request passes the same guards as a first one (quorum lost in the members' own
 * words, unless forced), and its start replaces the open journal in the same compare-and-swap, so an operator that
 * crashes resumes the new recovery, never the old.
 */
final class RecoveryRequests {
    private RecoveryRequests() {
    }

    /** The step serving the pending request, or empty when there is none or it waits for the open recovery to end. */
    static Optional<Step> serve(PlanInput in) {
        if (in.recovery().isEmpty()) {
            return Optional.empty();
        }
        RecoveryRequest request = in.recovery().get();
        Optional<Journal> open = in.journal().filter(j -> j.operation() == Operation.RecoverFromSurvivor
                || j.operation() == Operation.RestoreFromBackup);
        if (request.method() == RecoveryRequest.Method.Abort) {
            return Optional.of(open.<Step>map(j -> abort(in.observation(), j, request)).orElseGet(() -> new Step.RefuseRecovery(request,
                    "no recovery is in progress, so there is nothing to abort; nothing was changed")));
        }
        if (open.isEmpty()) {
            return Optional.of(start(in, request));
        }
        Journal journal = open.get();
        if (journal.operation() == Operation.RestoreFromBackup) {
            // A restore that cannot finish (say its backup is missing) is replaced by a new restore request naming another.
            return request.method() == RecoveryRequest.Method.FromBackup ? Optional.of(start(in, request)) : Optional.empty();
        }
        return Optional.of(supersedeSurvivor(in, journal, request));
    }

    private static Step supersedeSurvivor(PlanInput in, Journal journal, RecoveryRequest request) {
        String current = "the recovery from " + SurvivorRecovery.name(in.observation(), journal);
        Step next = start(in, request);
        // Only what starting a recovery can return is rewritten; anything else it returns goes on as it is.
        return switch (next) {
            case Step.StartRecovery s when s.journal().memberId() == journal.memberId() -> new Step.RefuseRecovery(request, s.survivor()
                    + " is still the most advanced survivor, and " + current
                    + " already chose it; nothing was changed. If it cannot start, restore from a backup or abort the recovery");
            case Step.StartRecovery s -> s.superseding(current);
            case Step.StartRestore r -> r.superseding(current);
            case Step.RefuseRecovery r -> new Step.RefuseRecovery(r.request(), r.why() + "; " + current + " goes on as it was");
            default -> next;
        };
    }

    private static Step start(PlanInput in, RecoveryRequest request) {
        return request.method() == RecoveryRequest.Method.FromBackup
                ? new BackupRecovery(in.observation()).start(request, in.peerUrlOf().apply(0))
                : new SurvivorRecovery(in.observation(), in.survivorDeadline()).start(request);
    }

    private static Step abort(ClusterObservation obs, Journal journal, RecoveryRequest request) {
        String what = journal.operation() == Operation.RestoreFromBackup ? "the restore from a backup"
                : "the recovery from " + SurvivorRecovery.name(obs, journal);
        return new Step.AbortRecovery(what + " was aborted on request (" + RequestAnnotations.ABORT_RECOVERY + "=" + request.value()
                + "): its journal is closed where it stood and nothing more is touched. Data already moved aside stays on its"
                + " volume; a new recover-from-survivor or restore-from-backup request starts over", Optional.of(request));
    }
}
