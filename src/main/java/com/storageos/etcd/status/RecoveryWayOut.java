package com.storageos.etcd.status;

import com.storageos.etcd.api.v1alpha1.status.ConditionReason;
import com.storageos.etcd.membership.Step;
import com.storageos.etcd.naming.RequestAnnotations;
import java.util.Optional;

/**
 * The ways out of a recovery that waits, with the exact commands: while a recovery from a survivor waits for it (and once
 * it is past its deadline), a new survivor request, a restore from a backup, or an abort; while a restore waits, a new
 * restore request or an abort. Each request passes the same quorum guards as a first one.
 */
final class RecoveryWayOut {
    private RecoveryWayOut() {
    }

    static Optional<String> of(Step step, String cluster) {
        String annotate = "kubectl annotate etcdcluster/" + cluster + " --overwrite ";
        String abort = "abort it where it stands with " + annotate + RequestAnnotations.ABORT_RECOVERY + "=$(date +%s)";
        String restore = annotate + RequestAnnotations.RESTORE_FROM_BACKUP + "=latest (or a backup's name)";
        if (step instanceof Step.Blocked b && b.reason() == ConditionReason.SurvivorNotStarting
                || step instanceof Step.Wait w && w.reason() == ConditionReason.RecoveringFromSurvivor) {
            return Optional.of("If the survivor cannot start: choose another survivor, where one still answers, with " + annotate
                    + RequestAnnotations.RECOVER_FROM_SURVIVOR + "=$(date +%s); or restore from a backup with " + restore + "; or "
                    + abort);
        }
        if (step instanceof Step.Wait w && w.reason() == ConditionReason.RestoringFromBackup
                || step instanceof Step.Blocked b && b.reason() == ConditionReason.RestoreRefused) {
            return Optional.of("If the restore cannot finish: restore another backup with " + restore + "#$(date +%s); or " + abort);
        }
        return Optional.empty();
    }
}
