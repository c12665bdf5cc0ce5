package com.storageos.etcd.metrics;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.status.BackupStatus;
import com.storageos.etcd.api.v1alpha1.status.DefragStatus;
import com.storageos.etcd.api.v1alpha1.status.EtcdClusterStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Backup and defrag gauges per cluster, read from the EtcdCluster's status on each reconcile
 * ({@link #update}); {@link #forget} drops a deleted cluster's gauges. The tools write the status,
 * so the operator's metrics survive the short-lived tool pods.
 */
public final class BackupMetrics {
    static final String BACKUP_TIME = "etcd_operator_backup_last_success_timestamp_seconds";
    static final String BACKUP_SIZE = "etcd_operator_backup_last_size_bytes";
    static final String DEFRAG_RECLAIMED = "etcd_operator_defrag_reclaimed_bytes";
    static final String DEFRAG_FAILURE_TIME = "etcd_operator_defrag_last_failure_timestamp_seconds";

    private final MeterRegistry registry;
    private final Map<String, Map<String, AtomicLong>> values = new ConcurrentHashMap<>();

    public BackupMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void update(EtcdCluster cluster) {
        EtcdClusterStatus status = Optional.ofNullable(cluster.getStatus()).orElseGet(EtcdClusterStatus::new);
        Map<String, AtomicLong> v = gauges(cluster.getMetadata().getNamespace(), cluster.getMetadata().getName());
        BackupStatus backup = status.getLastBackup();
        if (backup != null && backup.getTime() != null) {
            v.get(BACKUP_TIME).set(Instant.parse(backup.getTime()).getEpochSecond());
            v.get(BACKUP_SIZE).set(Optional.ofNullable(backup.getSizeBytes()).orElse(0L));
        }
        DefragStatus defrag = status.getLastDefrag();
        if (defrag != null && defrag.getTime() != null) {
            v.get(DEFRAG_RECLAIMED).set(reclaimed(defrag));
            if (defrag.getOutcome() != null && !defrag.getOutcome().equals("Succeeded")) {
                v.get(DEFRAG_FAILURE_TIME).set(Instant.parse(defrag.getTime()).getEpochSecond());
            }
        }
    }

    public void forget(String namespace, String name) {
        if (values.remove(key(namespace, name)) != null) {
            Tags tags = tags(namespace, name);
            for (String metric : new String[] {BACKUP_TIME, BACKUP_SIZE, DEFRAG_RECLAIMED, DEFRAG_FAILURE_TIME}) {
                Optional.ofNullable(registry.find(metric).tags(tags).gauge()).ifPresent(registry::remove);
            }
        }
    }

    private Map<String, AtomicLong> gauges(String namespace, String name) {
        return values.computeIfAbsent(key(namespace, name), k -> {
            Map<String, AtomicLong> v = new ConcurrentHashMap<>();
            for (String metric : new String[] {BACKUP_TIME, BACKUP_SIZE, DEFRAG_RECLAIMED, DEFRAG_FAILURE_TIME}) {
                AtomicLong holder = new AtomicLong();
                Gauge.builder(metric, holder, AtomicLong::doubleValue).tags(tags(namespace, name)).register(registry);
                v.put(metric, holder);
            }
            return v;
        });
    }

    private static long reclaimed(DefragStatus defrag) {
        return defrag.getMembers().stream().filter(m -> m.getAfterBytes() != null && m.getBeforeBytes() != null)
                .mapToLong(m -> Math.max(0, m.getBeforeBytes() - m.getAfterBytes())).sum();
    }

    private static Tags tags(String namespace, String name) {
        return Tags.of("namespace", namespace, "cluster", name);
    }

    private static String key(String namespace, String name) {
        return namespace + "/" + name;
    }
}
