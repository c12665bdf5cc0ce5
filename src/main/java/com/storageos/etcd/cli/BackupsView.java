package com.storageos.etcd.cli;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.status.BackupStatus;
import com.storageos.etcd.api.v1alpha1.status.RestoreCheckStatus;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * {@code kubectl etcd backups}: what the operator records of the store, the last backup with its size, checksum and
 * restore check (status.lastBackup), and the backup Jobs still kept with their outcome. The store itself (a claim or a
 * bucket) is read only by the tools inside the cluster.
 */
public final class BackupsView {
    private BackupsView() {
    }

    public static List<String> lines(EtcdCluster cluster, List<Job> jobs, Instant now) {
        List<String> lines = new ArrayList<>();
        BackupStatus b = Optional.ofNullable(cluster.getStatus()).map(s -> s.getLastBackup()).orElse(null);
        if (b == null || b.getTime() == null) {
            lines.add("No backup recorded yet" + (cluster.getSpec().getBackup() == null ? " (spec.backup is not set)." : "."));
        } else {
            lines.add("Last backup:   " + b.getTime() + " (" + StatusView.ago(b.getTime(), now) + " ago)");
            lines.add("Location:      " + Optional.ofNullable(b.getLocation()).orElse("-"));
            lines.add("Size:          " + Table.bytes(b.getSizeBytes()) + " (" + Optional.ofNullable(b.getSizeBytes()).orElse(0L) + " bytes)");
            lines.add("SHA-256:       " + Optional.ofNullable(b.getSha256()).orElse("-") + " (checked on the way out)");
            lines.add("Revision:      " + Optional.ofNullable(b.getRevision()).map(String::valueOf).orElse("-")
                    + " from " + Optional.ofNullable(b.getMember()).orElse("-")
                    + Optional.ofNullable(b.getDurationSeconds()).map(d -> String.format(" in %.1f s", d)).orElse(""));
            lines.add("Restore check: " + restoreCheck(b.getRestoreCheck()));
        }
        lines.add("");
        if (jobs.isEmpty()) {
            lines.add("No backup Jobs kept.");
            return lines;
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("JOB", "STARTED", "OUTCOME", "DURATION"));
        jobs.stream().sorted(Comparator.comparing(j -> Optional.ofNullable(j.getMetadata().getCreationTimestamp()).orElse("")))
                .forEach(j -> rows.add(List.of(j.getMetadata().getName(),
                        Optional.ofNullable(j.getMetadata().getCreationTimestamp()).map(t -> StatusView.ago(t, now) + " ago").orElse("-"),
                        outcome(j), duration(j))));
        lines.addAll(Table.render(rows));
        return lines;
    }

    static String restoreCheck(RestoreCheckStatus check) {
        if (check == null) {
            return "off (spec.backup.restoreCheck)";
        }
        return (Boolean.TRUE.equals(check.getSucceeded()) ? "passed" : "FAILED") + " on " + check.getBackup() + " at " + check.getTime()
                + Optional.ofNullable(check.getMessage()).map(m -> ": " + m).orElse("");
    }

    /** Complete, Failed (with the Job's reason) or Running, from the Job's own conditions. */
    static String outcome(Job job) {
        return Optional.ofNullable(job.getStatus()).map(s -> s.getConditions()).orElse(List.of()).stream()
                .filter(c -> "True".equals(c.getStatus()) && ("Complete".equals(c.getType()) || "Failed".equals(c.getType())))
                .map(c -> "Failed".equals(c.getType()) ? "Failed" + Optional.ofNullable(c.getReason()).map(r -> " (" + r + ")").orElse("") : "Complete")
                .findFirst().orElse("Running");
    }

    private static String duration(Job job) {
        return Optional.ofNullable(job.getStatus()).filter(s -> s.getStartTime() != null && s.getCompletionTime() != null)
                .map(s -> Table.age(Duration.between(Instant.parse(s.getStartTime()), Instant.parse(s.getCompletionTime()))))
                .orElse("-");
    }
}
