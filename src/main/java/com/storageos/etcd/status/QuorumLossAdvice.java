package com.storageos.etcd.status;

import com.storageos.etcd.api.v1alpha1.status.BackupStatus;
import com.storageos.etcd.membership.ClusterObservation;
import com.storageos.etcd.membership.ObservedMember;
import com.storageos.etcd.membership.SurvivorRecovery;
import com.storageos.etcd.naming.RequestAnnotations;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a person can do once quorum is lost: the two explicit requests, what each keeps and what it loses, the
 * survivors' progress, the newest backup's age, and the command to copy.
 */
final class QuorumLossAdvice {
    private final String cluster;
    private final ClusterObservation obs;
    private final Optional<BackupStatus> lastBackup;

    QuorumLossAdvice(String cluster, ClusterObservation obs, Optional<BackupStatus> lastBackup) {
        this.cluster = cluster;
        this.obs = obs;
        this.lastBackup = lastBackup;
    }

    String text() {
        return "Two explicit requests bring it back. (1) " + fromSurvivor() + " (2) " + fromBackup();
    }

    private String fromSurvivor() {
        Optional<ObservedMember> best = SurvivorRecovery.mostAdvanced(obs);
        if (best.isEmpty()) {
            return "Recover from a survivor: no member answers its status call now, so none can say how far its data got;"
                    + " start a member whose data survived, then ask with kubectl annotate etcdcluster/" + cluster + " "
                    + RequestAnnotations.RECOVER_FROM_SURVIVOR + "=$(date +%s).";
        }
        String survivors = obs.members().stream().filter(ObservedMember::answeredStatus)
                .map(m -> m.name() + " raft index " + m.raftIndex() + " revision " + m.revision()).collect(Collectors.joining(", "));
        String silent = obs.members().stream().filter(m -> !m.answeredStatus())
                .map(m -> m.started() ? m.name() : Long.toHexString(m.id())).collect(Collectors.joining(", "));
        ObservedMember s = best.get();
        return "Recover from the most advanced survivor, " + s.name() + " (survivors: " + survivors
                + (silent.isEmpty() ? "" : "; not answering: " + silent) + "): keeps every write " + s.name()
                + " holds, normally every acknowledged write; the other members' data is moved aside, not deleted, and they"
                + " rejoin as learners. Run: kubectl annotate etcdcluster/" + cluster + " " + RequestAnnotations.RECOVER_FROM_SURVIVOR
                + "=$(date +%s)";
    }

    private String fromBackup() {
        String backup = lastBackup.filter(b -> b.getTime() != null)
                .map(b -> "the newest backup (" + age(b.getTime()) + (b.getRevision() == null ? "" : ", revision " + b.getRevision())
                        + (b.getLocation() == null ? "" : ", " + b.getLocation()) + ")")
                .orElse("a backup (none is recorded in status.lastBackup)");
        return "Restore " + backup + " in place, when no member's data survived: keeps the writes up to that backup and loses"
                + " every write since; every member's current data is moved aside on its volume, not deleted; the cluster keeps its"
                + " name, Services and StorageOS address. Run: kubectl annotate etcdcluster/" + cluster + " "
                + RequestAnnotations.RESTORE_FROM_BACKUP + "=latest (or a backup's name). A new cluster under another name can"
                + " restore these backups instead with spec.bootstrap.restore.clusterName: " + cluster + ".";
    }

    private String age(String time) {
        try {
            Duration age = Duration.between(Instant.parse(time), obs.now());
            return "taken " + (age.toHours() > 0 ? age.toHours() + " h " + age.toMinutesPart() + " min" : age.toMinutes() + " min") + " ago";
        } catch (DateTimeParseException e) {
            return "taken at " + time;
        }
    }
}
