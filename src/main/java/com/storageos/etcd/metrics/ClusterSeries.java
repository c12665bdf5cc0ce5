package com.storageos.etcd.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.function.ToDoubleFunction;

/**
 * Where every per-cluster gauge is registered and removed: the registry, and the tags that name a cluster, its namespace
 * and the chart's metrics.clusterLabel.
 */
final class ClusterSeries {
    private final MeterRegistry registry;
    private final String clusterLabel;

    ClusterSeries(MeterRegistry registry, String clusterLabel) {
        this.registry = registry;
        this.clusterLabel = clusterLabel;
    }

    Tags tags(String namespace, String name) {
        return Tags.of("namespace", namespace, clusterLabel, name);
    }

    /** A gauge reading {@code holder}, which the caller keeps: the gauge holds it only weakly. */
    <T> T register(String metric, Tags tags, T holder, ToDoubleFunction<T> value) {
        Gauge.builder(metric, holder, value).tags(tags).register(registry);
        return holder;
    }

    /** A gauge that always reads 1: its labels say what it reports. */
    void registerOne(String metric, Tags tags) {
        Gauge.builder(metric, () -> 1).tags(tags).register(registry);
    }

    void remove(String metric, Tags tags) {
        registry.find(metric).tags(tags).meters().forEach(registry::remove);
    }

    /** What a cluster's gauges are kept under. */
    static String key(String namespace, String name) {
        return namespace + "/" + name;
    }
}
