package com.storageos.etcd.membership;

import com.storageos.etcd.api.v1alpha1.status.ConditionReason;
import com.storageos.etcd.membership.Journal.Operation;
import com.storageos.etcd.membership.Journal.Phase;
import com.storageos.etcd.toolcontract.BootstrapReport;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Recovery in place from a backup, for a cluster whose members' data did not survive: the same EtcdCluster, so the
 * same name, Services and StorageOS address. Every member pod restarts: the others' bootstrap moves whatever is on
 * their volumes aside (never deleted) and waits to join; member 0's moves its own data aside the same way and restores
 * the backup as a new one-member cluster under its own name and peer URL. Then the ordinary learner loop grows the
 * cluster back to spec.replicas. Each step is judged from the pods and etcd, so a crash of the operator resumes.
 */
public final class BackupRecovery {
    /** The event reason, and the step's, when member 0 runs alone on the restored backup. */
    public static final String RESTORE_COMPLETED = "RestoreCompleted";
    /** The event reason when the restore stopped short of its target (a chunk failed its checksum, one is missing). */
    public static final String RESTORE_INCOMPLETE = "RestoreIncomplete";
    static final Step.RestartPod.Purpose RESTART_OTHER = restart("restore from a backup: its bootstrap moves its old data aside");
    static final Step.RestartPod.Purpose RESTART_SEED = restart("restore from a backup: its bootstrap moves its old data aside and restores the backup");
    private final ClusterObservation obs;

    BackupRecovery(ClusterObservation obs) {
        this.obs = obs;
    }

    Step start(RecoveryRequest request, String seedPeerUrl) {
        if (request.source().isEmpty()) {
            return new Step.RefuseRecovery(request, "no backup store is configured (spec.backup or spec.bootstrap.restore names"
                    + " none), so there is nothing to restore from; nothing was changed");
        }
        Optional<String> badTarget = request.targetProblem();
        if (badTarget.isPresent()) {
            return new Step.RefuseRecovery(request, badTarget.get() + "; nothing was changed");
        }
        QuorumVerdict quorum = QuorumVerdict.of(obs);
        if (!quorum.lost() && !request.force()) {
            return new Step.RefuseRecovery(request, quorum.describe() + ": a restore would replace every write since the backup and"
                    + " move every member's data aside. Nothing was changed. To restore anyway, use a value that starts with \""
                    + RecoveryRequest.FORCE_PREFIX + "\"");
        }
        List<String> replaced = obs.members().stream().map(m -> m.started() ? m.name() : Long.toHexString(m.id())).toList();
        return new Step.StartRestore(Journal.start(Operation.RestoreFromBackup, Phase.SeedFromBackup, 0, seedPeerUrl, 0, obs.now())
                .withForced(request.force()), request, replaced);
    }

    /**
     * First the other pods past their bootstrap restart (a pod still in its bootstrap decides from the journal as it is
     * now), then member 0's, unless its bootstrap already restored for this request; then wait for it to run alone.
     */
    Step continueWith(Journal journal) {
        if (obs.pod(0).filter(p -> p.restore().restored()).isEmpty() && obs.voters().size() > 1) {
            // Until member 0 runs on the restored backup, every step here moves data aside: look at quorum again first.
            // Only a view of several voters can show quorum back: a member restarted in place on wiped data re-forms a
            // one-member cluster of its own, healthy "1 of 1" (seen in RestoreFromBackupSystemIT).
            Optional<Step> recheck = QuorumVerdict.of(obs).beforeRecoveryStep(journal, "restore from a backup");
            if (recheck.isPresent()) {
                return recheck.get();
            }
        }
        Optional<Step> stopOthers = obs.pods().values().stream()
                .filter(p -> p.ordinal() != 0 && p.initialized() && !p.terminating())
                .min(Comparator.comparingInt(PodState::ordinal)).map(p -> new Step.RestartPod(p.ordinal(), RESTART_OTHER));
        if (stopOthers.isPresent()) {
            return stopOthers.get();
        }
        Optional<PodState> seed = obs.pod(0);
        if (seed.isEmpty() || obs.pods().values().stream().anyMatch(PodState::terminating)) {
            return new Step.Wait(ConditionReason.RestoringFromBackup, "waiting for the old member pods to go", Pace.POD);
        }
        PodState pod = seed.get();
        // A pod made from the template before the journal lacks the backup source: it could never restore.
        if (!pod.restore().restored() && (pod.initialized() || !pod.restore().sourceMounted())) {
            return new Step.RestartPod(0, RESTART_SEED);
        }
        if (pod.restore().restored() && runsAlone()) {
            Optional<BootstrapReport.Recovered> recovered = pod.restore().recovered();
            boolean complete = recovered.map(BootstrapReport.Recovered::complete).orElse(true);
            return new Step.RecoveryProgress(Optional.empty(), ConditionReason.RestoringFromBackup, complete ? RESTORE_COMPLETED : RESTORE_INCOMPLETE,
                    obs.members().get(0).name() + " runs alone on the restored backup" + recovered.map(r -> " (" + r.summary() + ")").orElse("")
                    + "; the cluster grows back to spec.replicas as learners join", recovered);
        }
        if (pod.restore().refused().isPresent()) {
            // Member 0's data stays where it was: its bootstrap refuses before it moves anything. Only a person can pick
            // another target, so the restore is stuck (Degraded), as a survivor that does not start is.
            return new Step.Blocked(ConditionReason.RestoreRefused, "member 0 cannot restore: " + pod.restore().refused().get());
        }
        return new Step.Wait(ConditionReason.RestoringFromBackup, "waiting for member 0 to restore the backup and start", Pace.POD);
    }

    private boolean runsAlone() {
        return obs.etcdReachable() && obs.members().size() == 1 && obs.members().get(0).ordinal() == 0 && obs.members().get(0).healthy();
    }

    private static Step.RestartPod.Purpose restart(String why) {
        return new Step.RestartPod.Purpose(ConditionReason.RestoringFromBackup, why);
    }
}
