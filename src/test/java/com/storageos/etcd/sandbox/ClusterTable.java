package com.storageos.etcd.sandbox;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.status.EtcdClusterStatus;
import com.storageos.etcd.api.v1alpha1.status.MemberStatus;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Collectors;

/** The sandbox's {@code kubectl get etcdcluster}: the printer columns, plus the members and the conditions' reasons. */
final class ClusterTable {
    static final String HEADER = String.format("%-8s %-15s %-6s %-7s %-8s %-18s %-40s %s",
            "TIME", "NAME", "READY", "MEMBERS", "VERSION", "LEADER", "MEMBER ROLES", "CONDITIONS");

    private ClusterTable() {
    }

    static String row(EtcdCluster c, Instant since) {
        EtcdClusterStatus s = Optional.ofNullable(c.getStatus()).orElseGet(EtcdClusterStatus::new);
        String ready = s.getConditions().stream().filter(x -> "Ready".equals(x.getType())).map(Condition::getStatus).findFirst().orElse("");
        String members = s.getMembers().stream().map(ClusterTable::member).collect(Collectors.joining(" "));
        String conditions = s.getConditions().stream().map(x -> x.getType() + "=" + x.getStatus() + "(" + x.getReason() + ")")
                .collect(Collectors.joining(" "));
        String change = s.getPendingChange() == null ? "" : "  pending:" + s.getPendingChange().getOperation() + "/" + s.getPendingChange().getPhase();
        long t = Duration.between(since, Instant.now()).toSeconds();
        return String.format("%-8s %-15s %-6s %-7s %-8s %-18s %-40s %s%s", t + "s", c.getMetadata().getName(), ready,
                Optional.ofNullable(s.getMembersSummary()).orElse(""),
                Optional.ofNullable(s.getCurrentVersion()).orElse(""), Optional.ofNullable(s.getLeader()).orElse(""),
                members, conditions, change);
    }

    /** The row without its time column, to decide whether anything changed. */
    static String content(EtcdCluster c) {
        return row(c, Instant.now()).substring(9);
    }

    private static String member(MemberStatus m) {
        String name = m.getName() == null || m.getName().isEmpty() ? "(unstarted)" : m.getName().substring(m.getName().lastIndexOf('-') + 1);
        String role = Boolean.TRUE.equals(m.getLeader()) ? "leader" : "Learner".equals(m.getRole()) ? "learner" : "voter";
        return name + ":" + role + (Boolean.TRUE.equals(m.getHealthy()) ? "" : "!");
    }
}
