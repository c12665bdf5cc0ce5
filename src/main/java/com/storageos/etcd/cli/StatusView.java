package com.storageos.etcd.cli;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.status.BackupStatus;
import com.storageos.etcd.api.v1alpha1.status.BootstrapStatus;
import com.storageos.etcd.api.v1alpha1.status.DefragStatus;
import com.storageos.etcd.api.v1alpha1.status.EtcdClusterStatus;
import com.storageos.etcd.api.v1alpha1.status.MemberStatus;
import com.storageos.etcd.desired.PauseRequest;
import com.storageos.etcd.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** {@code kubectl etcd status}: an EtcdCluster as lines, from its status alone (no I/O, so every line is unit-tested). */
public final class StatusView {
    private StatusView() {
    }

    public static List<String> lines(EtcdCluster cluster, Instant now) {
        EtcdClusterStatus status = Optional.ofNullable(cluster.getStatus()).orElseGet(EtcdClusterStatus::new);
        List<String> lines = new ArrayList<>();
        lines.add("Cluster:      " + cluster.getMetadata().getNamespace() + "/" + cluster.getMetadata().getName()
                + (PauseRequest.paused(cluster) ? "   PAUSED (kubectl etcd resume)" : ""));
        lines.add("Ready:        " + condition(status, Conditions.READY).map(StatusView::brief).orElse("Unknown (no status yet)"));
        lines.add("Members:      " + Optional.ofNullable(status.getMembersSummary()).orElse("-") + " healthy voters of spec.replicas");
        lines.add("Version:      " + Optional.ofNullable(status.getCurrentVersion()).orElse("-")
                + "   cluster version " + Optional.ofNullable(status.getClusterVersion()).orElse("-")
                + "   cluster ID " + Optional.ofNullable(status.getClusterId()).orElse("-"));
        lines.add("Leader:       " + Optional.ofNullable(status.getLeader()).orElse("none"));
        lines.add("Last backup:  " + lastBackup(status.getLastBackup(), now));
        Optional.ofNullable(status.getLastDefrag()).filter(d -> d.getTime() != null)
                .ifPresent(d -> lines.add("Last defrag:  " + lastDefrag(d, now)));
        Optional.ofNullable(status.getProgress()).orElse(List.of())
                .forEach(p -> lines.add("Progress:     " + p.getOperation() + ": " + Optional.ofNullable(p.getMessage()).orElse("")));
        Optional.ofNullable(status.getPendingChange()).ifPresent(p -> lines.add("In flight:    " + p.getOperation()
                + Optional.ofNullable(p.getPhase()).map(ph -> " (" + ph + ")").orElse("")
                + Optional.ofNullable(p.getMemberName()).map(m -> " of " + m).orElse("")));
        Optional.ofNullable(status.getRecovery()).ifPresent(r -> lines.add("Recovery:     " + r.getMethod() + " " + r.getOutcome()
                + Optional.ofNullable(r.getMessage()).map(m -> ": " + m).orElse("")));
        Optional.ofNullable(status.getBootstrap()).ifPresent(b -> lines.add("Bootstrap:    " + bootstrap(b, now)));
        Optional.ofNullable(status.getTls()).map(t -> t.getCaRotation()).ifPresent(r -> lines.add("CA rotation:  " + r.getPhase()
                + " (" + r.getTrigger() + Optional.ofNullable(r.getStartedAt()).map(s -> ", started " + s).orElse("") + ")"));
        Optional.ofNullable(status.getMigration()).ifPresent(m -> lines.add("Migration:    " + m.getPhase()
                + Optional.ofNullable(m.getPlanId()).map(p -> " (plan " + p + ")").orElse("")));
        lines.add("");
        lines.addAll(members(status.getMembers()));
        lines.add("");
        List<List<String>> conditions = new ArrayList<>();
        conditions.add(List.of("CONDITION", "STATUS", "REASON", "MESSAGE"));
        for (Condition c : status.getConditions()) {
            conditions.add(List.of(c.getType(), c.getStatus(), Optional.ofNullable(c.getReason()).orElse(""),
                    Optional.ofNullable(c.getMessage()).orElse("")));
        }
        lines.addAll(Table.render(conditions));
        return lines;
    }

    /** One row per member in ordinal order; the lag of a learner catching up is in Progressing's message. */
    static List<String> members(List<MemberStatus> members) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("MEMBER", "ROLE", "LEADER", "HEALTHY", "VERSION", "DB SIZE", "IN USE", "ID"));
        for (MemberStatus m : members) {
            rows.add(List.of(Optional.ofNullable(m.getName()).filter(n -> !n.isEmpty()).orElse("(not started)"),
                    Optional.ofNullable(m.getRole()).orElse("-"), Boolean.TRUE.equals(m.getLeader()) ? "yes" : "",
                    Boolean.TRUE.equals(m.getHealthy()) ? "yes" : "NO", Optional.ofNullable(m.getVersion()).orElse("-"),
                    Table.bytes(m.getDbSize()), Table.bytes(m.getDbSizeInUse()), Optional.ofNullable(m.getId()).orElse("-")));
        }
        return Table.render(rows);
    }

    static String lastBackup(BackupStatus b, Instant now) {
        if (b == null || b.getTime() == null) {
            return "none";
        }
        String check = Optional.ofNullable(b.getRestoreCheck())
                .map(c -> Boolean.TRUE.equals(c.getSucceeded()) ? ", restore check passed" : ", RESTORE CHECK FAILED").orElse("");
        return b.getTime() + " (" + ago(b.getTime(), now) + " ago), " + Table.bytes(b.getSizeBytes()) + ", revision "
                + Optional.ofNullable(b.getRevision()).map(String::valueOf).orElse("-") + check;
    }

    /** What spec.bootstrap.restore brought back when the cluster formed; a replay that stopped short stands out. */
    static String bootstrap(BootstrapStatus b, Instant now) {
        String complete = b.getRestoredComplete() == null ? "" : b.getRestoredComplete() ? ", complete" : ", INCOMPLETE";
        String formed = b.getFormedAt() == null ? "" : ", formed " + b.getFormedAt() + " (" + ago(b.getFormedAt(), now) + " ago)";
        return "restored to revision " + Optional.ofNullable(b.getRestoredRevision()).map(String::valueOf).orElse("-") + complete + formed
                + Optional.ofNullable(b.getMessage()).map(m -> ": " + m).orElse("");
    }

    /** When, the outcome and each member's database before and after: a defragmentation's bytes are known once it ends. */
    static String lastDefrag(DefragStatus d, Instant now) {
        String members = d.getMembers().stream().map(m -> m.getName() + " " + (m.getAfterBytes() != null && !"NotNeeded".equals(m.getOutcome())
                ? Table.bytes(m.getBeforeBytes()) + " -> " + Table.bytes(m.getAfterBytes()) : Optional.ofNullable(m.getOutcome()).orElse("-")))
                .collect(Collectors.joining(", "));
        return d.getTime() + " (" + ago(d.getTime(), now) + " ago), " + Optional.ofNullable(d.getOutcome()).orElse("-")
                + (Boolean.TRUE.equals(d.getDryRun()) ? " (dry run)" : "") + (members.isEmpty() ? "" : ": " + members);
    }

    static String ago(String time, Instant now) {
        try {
            return Table.age(Duration.between(Instant.parse(time), now));
        } catch (DateTimeParseException e) {
            return "?";
        }
    }

    static Optional<Condition> condition(EtcdClusterStatus status, String type) {
        return status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    private static String brief(Condition c) {
        return c.getStatus() + Optional.ofNullable(c.getReason()).map(r -> " (" + r + ")").orElse("");
    }
}
