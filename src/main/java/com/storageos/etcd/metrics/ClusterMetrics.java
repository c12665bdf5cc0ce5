package com.storageos.etcd.metrics;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.status.EtcdClusterStatus;
import com.storageos.etcd.api.v1alpha1.status.MemberStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Per cluster, from the status a reconcile left: one gauge per condition, always 1, whose {@code type}, {@code status}
 * and {@code reason} labels say what the condition says (a changed status or reason is a new series, the old one
 * goes), so that Alertmanager sees what {@code kubectl describe} shows; and the member counts. Every cluster exports
 * them, so a cluster without its desired-voters gauge is one the operator reports nothing about (alert EtcdClusterNotReported).
 */
public final class ClusterMetrics {
    public static final String CONDITION = "etcd_operator_cluster_condition";
    public static final String VOTERS = "etcd_operator_cluster_voters";
    public static final String LEARNERS = "etcd_operator_cluster_learners";
    public static final String DESIRED_VOTERS = "etcd_operator_cluster_desired_voters";
    static final List<String> COUNTS = List.of(VOTERS, LEARNERS, DESIRED_VOTERS);

    private final ClusterSeries series;
    /** namespace/name to the condition series it exports, as their tags. */
    private final Map<String, Set<Tags>> conditions = new ConcurrentHashMap<>();
    /** namespace/name to count metric to its value. */
    private final Map<String, Map<String, AtomicInteger>> counts = new ConcurrentHashMap<>();

    /** @param clusterLabel the label naming the EtcdCluster (the chart's metrics.clusterLabel) */
    public ClusterMetrics(MeterRegistry registry, String clusterLabel) {
        this.series = new ClusterSeries(registry, clusterLabel);
    }

    public void update(EtcdCluster cluster) {
        String namespace = cluster.getMetadata().getNamespace();
        String name = cluster.getMetadata().getName();
        EtcdClusterStatus status = Optional.ofNullable(cluster.getStatus()).orElseGet(EtcdClusterStatus::new);
        Set<Tags> wanted = new HashSet<>();
        for (Condition c : status.getConditions()) {
            wanted.add(series.tags(namespace, name).and("type", c.getType(), "status", c.getStatus(),
                    "reason", Optional.ofNullable(c.getReason()).orElse("")));
        }
        Set<Tags> exported = conditions.computeIfAbsent(ClusterSeries.key(namespace, name), k -> ConcurrentHashMap.newKeySet());
        for (Tags gone : Set.copyOf(exported)) {
            if (!wanted.contains(gone)) {
                exported.remove(gone);
                series.remove(CONDITION, gone);
            }
        }
        for (Tags tags : wanted) {
            if (exported.add(tags)) {
                series.registerOne(CONDITION, tags);
            }
        }
        List<MemberStatus> members = status.getMembers();
        count(namespace, name, VOTERS, (int) members.stream().filter(m -> "Voter".equals(m.getRole())).count());
        count(namespace, name, LEARNERS, (int) members.stream().filter(m -> "Learner".equals(m.getRole())).count());
        count(namespace, name, DESIRED_VOTERS, Optional.ofNullable(cluster.getSpec()).map(spec -> spec.getReplicas()).orElse(0));
    }

    /** Drops every gauge of a deleted cluster. */
    public void forget(String namespace, String name) {
        Optional.ofNullable(conditions.remove(ClusterSeries.key(namespace, name)))
                .ifPresent(exported -> exported.forEach(tags -> series.remove(CONDITION, tags)));
        if (counts.remove(ClusterSeries.key(namespace, name)) != null) {
            COUNTS.forEach(metric -> series.remove(metric, series.tags(namespace, name)));
        }
    }

    private void count(String namespace, String name, String metric, int value) {
        counts.computeIfAbsent(ClusterSeries.key(namespace, name), k -> new ConcurrentHashMap<>())
                .computeIfAbsent(metric, m -> series.register(m, series.tags(namespace, name), new AtomicInteger(), AtomicInteger::get))
                .set(value);
    }
}
