package com.storageos.etcd.metrics;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.status.BackupStatus;
import com.storageos.etcd.api.v1alpha1.status.DefragStatus;
import com.storageos.etcd.api.v1alpha1.status.EtcdClusterStatus;
import com.storageos.etcd.toolcontract.DefragOutcome;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Backup and defrag gauges per cluster, read from the EtcdCluster's status on each reconcile
 * ({@link #update}); the tools write that status, so the gauges survive the short-lived tool pods.
 * A cluster exports the gauges of a feature only while its spec configures that feature (a cluster
 * without backups must not look like one whose backup is decades old), and none once it is deleted
 * ({@link #forget}).
 */
public final class BackupMetrics {
    public static final String BACKUP_TIME = "etcd_operator_backup_last_success_timestamp_seconds";
    public static final String BACKUP_SIZE = "etcd_operator_backup_last_size_bytes";
    public static final String BACKUP_DURATION = "etcd_operator_backup_last_duration_seconds";
    public static final String DEFRAG_SUCCESS_TIME = "etcd_operator_defrag_last_success_timestamp_seconds";
    public static final String DEFRAG_FAILURE_TIME = "etcd_operator_defrag_last_failure_timestamp_seconds";
    public static final String DEFRAG_RECLAIMED = "etcd_operator_defrag_reclaimed_bytes";
    static final List<String> BACKUP = List.of(BACKUP_TIME, BACKUP_SIZE, BACKUP_DURATION);
    static final List<String> DEFRAG = List.of(DEFRAG_SUCCESS_TIME, DEFRAG_FAILURE_TIME, DEFRAG_RECLAIMED);

    private final ClusterSeries series;
    /** namespace/name to metric name to the bits of the double its gauge reads. */
    private final Map<String, Map<String, AtomicLong>> values = new ConcurrentHashMap<>();

    /** @param clusterLabel the label naming the EtcdCluster (the chart's metrics.clusterLabel) */
    public BackupMetrics(MeterRegistry registry, String clusterLabel) {
        this.series = new ClusterSeries(registry, clusterLabel);
    }

    public void update(EtcdCluster cluster) {
        String namespace = cluster.getMetadata().getNamespace();
        String name = cluster.getMetadata().getName();
        EtcdClusterStatus status = Optional.ofNullable(cluster.getStatus()).orElseGet(EtcdClusterStatus::new);
        if (cluster.getSpec() != null && cluster.getSpec().getBackup() != null) {
            BackupStatus backup = status.getLastBackup();
            boolean done = backup != null && backup.getTime() != null;
            // Before the first backup, the cluster's creation: a backup that never succeeds ages like one that stopped.
            set(namespace, name, BACKUP_TIME, epochSeconds(done ? backup.getTime() : cluster.getMetadata().getCreationTimestamp()));
            set(namespace, name, BACKUP_SIZE, done ? Optional.ofNullable(backup.getSizeBytes()).orElse(0L) : 0);
            set(namespace, name, BACKUP_DURATION, done ? Optional.ofNullable(backup.getDurationSeconds()).orElse(0.0) : 0);
        } else {
            drop(namespace, name, BACKUP);
        }
        if (cluster.getSpec() != null && cluster.getSpec().getDefrag() != null) {
            DefragStatus defrag = status.getLastDefrag();
            gauges(namespace, name, DEFRAG); // 0 until the first run
            if (defrag != null && defrag.getTime() != null && !Boolean.TRUE.equals(defrag.getDryRun())) {
                long time = epochSeconds(defrag.getTime());
                if (DefragOutcome.SUCCEEDED.equals(defrag.getOutcome())) {
                    set(namespace, name, DEFRAG_SUCCESS_TIME, time);
                    set(namespace, name, DEFRAG_FAILURE_TIME, 0); // a success clears the failure
                } else {
                    set(namespace, name, DEFRAG_FAILURE_TIME, time);
                }
                set(namespace, name, DEFRAG_RECLAIMED, reclaimed(defrag));
            }
        } else {
            drop(namespace, name, DEFRAG);
        }
    }

    /** Drops every gauge of a deleted cluster. */
    public void forget(String namespace, String name) {
        drop(namespace, name, BACKUP);
        drop(namespace, name, DEFRAG);
    }

    private void set(String namespace, String name, String metric, double value) {
        gauges(namespace, name, List.of(metric)).get(metric).set(Double.doubleToLongBits(value));
    }

    private Map<String, AtomicLong> gauges(String namespace, String name, List<String> metrics) {
        Map<String, AtomicLong> v = values.computeIfAbsent(ClusterSeries.key(namespace, name), k -> new ConcurrentHashMap<>());
        for (String metric : metrics) {
            v.computeIfAbsent(metric, m -> series.register(m, series.tags(namespace, name), new AtomicLong(Double.doubleToLongBits(0)),
                    h -> Double.longBitsToDouble(h.get())));
        }
        return v;
    }

    private void drop(String namespace, String name, List<String> metrics) {
        Map<String, AtomicLong> v = values.get(ClusterSeries.key(namespace, name));
        if (v == null) {
            return;
        }
        for (String metric : metrics) {
            if (v.remove(metric) != null) {
                series.remove(metric, series.tags(namespace, name));
            }
        }
        values.computeIfPresent(ClusterSeries.key(namespace, name), (k, left) -> left.isEmpty() ? null : left);
    }

    private static long epochSeconds(String time) {
        return time == null ? 0 : Instant.parse(time).getEpochSecond();
    }

    private static long reclaimed(DefragStatus defrag) {
        return defrag.getMembers().stream().filter(m -> m.getAfterBytes() != null && m.getBeforeBytes() != null)
                .mapToLong(m -> Math.max(0, m.getBeforeBytes() - m.getAfterBytes())).sum();
    }
}
