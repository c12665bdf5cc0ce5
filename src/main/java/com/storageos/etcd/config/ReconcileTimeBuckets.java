package com.storageos.etcd.config;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * Histogram buckets on JOSDK's reconcile timer, so that {@code /q/metrics} answers for its p50 and p99
 * ({@code histogram_quantile} in Prometheus, the scale benchmark from two scrapes), not only its mean.
 * A dozen fixed buckets rather than Micrometer's seventy-odd percentile buckets per series.
 */
@Singleton
public class ReconcileTimeBuckets implements MeterFilter {
    static final String TIMER = "operator.sdk.controllers.execution.reconcile";

    @Override
    public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        if (!id.getName().equals(TIMER)) {
            return config;
        }
        return DistributionStatisticConfig.builder()
                .serviceLevelObjectives(millis(5), millis(10), millis(25), millis(50), millis(100), millis(250), millis(500),
                        millis(1000), millis(2500), millis(5000), millis(10000))
                .build().merge(config);
    }

    private static double millis(long ms) {
        return Duration.ofMillis(ms).toNanos();
    }
}
