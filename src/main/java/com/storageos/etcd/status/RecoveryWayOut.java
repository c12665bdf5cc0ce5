package com.storageos.etcd.status;

import com.storageos.etcd.api.v1alpha1.status.ConditionReason;
import com.storageos.etcd.membership.Step;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.naming.RequestAnnotations;
import java.util.Optional;

/**
 * The ways out of a recovery that waits, with the exact commands: while a recovery from a survivor waits for it (and once
 * it is past its deadline), a new survivor request, a restore from a backup, or an abort; while a restore waits, a new
 * restore request or an abort. Each request passes the same quorum guards as a first one. A new cluster whose
 * spec.bootstrap.restore was refused has one way out: created again with another target.
 */
final class RecoveryWayOut {
    private RecoveryWayOut() {
    }

    /** @param forming the Bootstrap journal is open: a refused restore is spec.bootstrap.restore's, which no annotation changes */
    static Optional<String> of(Step step, String cluster, boolean forming) {
        if (ConditionRules.bootstrapRefused(step, forming)) {
            return Optional.of("spec.bootstrap cannot change: to restore another point, delete etcdcluster/" + cluster + " and its claim"
                    + " " + ClusterNames.DATA_VOLUME + "-" + ClusterNames.member(cluster, 0) + " (member 0 refused before it wrote anything), then create it again with"
                    + " a spec.bootstrap.restore the store holds. Its bootstrap retries meanwhile, so a target the store comes to hold is"
                    + " restored without either");
        }
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
