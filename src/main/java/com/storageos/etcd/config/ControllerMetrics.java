package com.storageos.etcd.config;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetricsV2;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.stream.LongStream;

/**
 * JOSDK's meters of each controller ({@code reconciliations_execution_duration_seconds}, {@code reconciliations_*_total},
 * ... tagged {@code controller_name}), on the application's Prometheus registry.
 *
 * <p>Produced here, not by quarkus-operator-sdk: its 7.7 provider builds the meters in a Micrometer binder that is
 * bound only after the operator has taken its {@link Metrics}, so a packaged operator recorded nothing
 * (quarkiverse/quarkus-operator-sdk#1385, fixed in 7.8.0). The reconcile timer's buckets are finer than JOSDK's
 * below 100 ms, where a converged reconcile lands, so that {@code /q/metrics} answers for its p50 and p99
 * ({@code histogram_quantile}, the scale benchmark).
 */
@ApplicationScoped
public class ControllerMetrics {
    private static final Duration[] RECONCILE_BUCKETS = LongStream.of(5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000)
            .mapToObj(Duration::ofMillis).toArray(Duration[]::new);

    @Produces
    @Singleton
    Metrics metrics(MeterRegistry registry) {
        return MicrometerMetricsV2.newBuilder(registry)
                .withExecutionTimerConfig(timer -> timer.serviceLevelObjectives(RECONCILE_BUCKETS))
                .build();
    }
}
