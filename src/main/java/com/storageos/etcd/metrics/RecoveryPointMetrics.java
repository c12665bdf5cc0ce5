package com.storageos.etcd.metrics;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.spec.BackupSpec;
import com.storageos.etcd.api.v1alpha1.status.ContinuousBackupStatus;
import com.storageos.etcd.api.v1alpha1.status.EtcdClusterStatus;
import com.storageos.etcd.api.v1alpha1.status.RecoveryPointStatus;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The backup agent's recovery point per cluster, from status.continuousBackup, which the agent writes every 5 s. The age
 * is computed at each scrape, so it grows while the agent stays silent (dead, unscheduled, cut off from etcd or the API
 * server); before the agent's first report it counts from when this operator first saw the agent wanted. Exported only
 * while spec.backup.continuous.enabled is true.
 */
public final class RecoveryPointMetrics {
    public static final String AGE = "etcd_operator_backup_recovery_point_age_seconds";
    public static final String REVISION = "etcd_operator_backup_recovery_point_revision";
    /** A counter: exported with the _total suffix. It restarts from 0 with the agent, which rate() and increase() allow for. */
    public static final String FAILED_WRITES = "etcd_operator_backup_chunk_write_failures";
    static final List<String> ALL = List.of(AGE, REVISION, FAILED_WRITES);

    private final MeterRegistry registry;
    private final ClusterSeries series;
    private final Clock clock;
    private final Map<String, Point> points = new ConcurrentHashMap<>();

    /** What the meters of one cluster read; the meters hold it weakly, the map strongly. */
    private static final class Point {
        volatile long asOfMillis;
        volatile double revision;
        volatile double failedWrites;
    }

    RecoveryPointMetrics(MeterRegistry registry, String clusterLabel, Clock clock) {
        this.registry = registry;
        this.series = new ClusterSeries(registry, clusterLabel);
        this.clock = clock;
    }

    void update(EtcdCluster cluster) {
        String namespace = cluster.getMetadata().getNamespace();
        String name = cluster.getMetadata().getName();
        boolean wanted = cluster.getSpec() != null && Optional.ofNullable(cluster.getSpec().getBackup())
                .map(BackupSpec::continuousEnabled).orElse(false);
        if (!wanted) {
            forget(namespace, name);
            return;
        }
        Point point = points.computeIfAbsent(ClusterSeries.key(namespace, name), k -> register(series.tags(namespace, name)));
        Optional<ContinuousBackupStatus> status = Optional.ofNullable(cluster.getStatus()).map(EtcdClusterStatus::getContinuousBackup);
        status.map(ContinuousBackupStatus::getRecoveryPoint).filter(p -> p.getTime() != null && p.getRevision() != null)
                .ifPresent((RecoveryPointStatus p) -> {
                    point.asOfMillis = Instant.parse(p.getTime()).toEpochMilli();
                    point.revision = p.getRevision();
                });
        status.map(ContinuousBackupStatus::getFailedChunkWrites).ifPresent(f -> point.failedWrites = f);
    }

    void forget(String namespace, String name) {
        if (points.remove(ClusterSeries.key(namespace, name)) != null) {
            ALL.forEach(metric -> series.remove(metric, series.tags(namespace, name)));
        }
    }

    private Point register(Tags tags) {
        Point point = new Point();
        point.asOfMillis = clock.millis();
        series.register(AGE, tags, point, p -> Math.max(0, clock.millis() - p.asOfMillis) / 1000.0);
        series.register(REVISION, tags, point, p -> p.revision);
        FunctionCounter.builder(FAILED_WRITES, point, p -> p.failedWrites).tags(tags).register(registry);
        return point;
    }
}
