package com.storageos.etcd.metrics;

import com.storageos.etcd.api.v1alpha1.status.CertificateStatus;
import com.storageos.etcd.api.v1alpha1.status.TlsStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * One gauge per certificate of a cluster's TLS, its expiry as Unix time, set from what the reconcile found
 * usable ({@code status.tls}). A certificate the cluster no longer uses, or a deleted cluster, exports none.
 */
public final class CertificateMetrics {
    public static final String EXPIRY = "etcd_operator_certificate_expiry_timestamp_seconds";

    private final ClusterSeries series;
    /** namespace/name to certificate name to its expiry in epoch seconds. */
    private final Map<String, Map<String, AtomicLong>> values = new ConcurrentHashMap<>();

    /** @param clusterLabel the label naming the EtcdCluster (the chart's metrics.clusterLabel) */
    public CertificateMetrics(MeterRegistry registry, String clusterLabel) {
        this.series = new ClusterSeries(registry, clusterLabel);
    }

    /** @param tls null when the cluster has no TLS */
    public void update(String namespace, String name, TlsStatus tls) {
        Map<String, Long> expiries = tls == null ? Map.of() : tls.getCertificates().stream()
                .collect(Collectors.toMap(CertificateStatus::getName, c -> Instant.parse(c.getNotAfter()).getEpochSecond(), (a, b) -> a));
        Map<String, AtomicLong> current = values.computeIfAbsent(ClusterSeries.key(namespace, name), k -> new ConcurrentHashMap<>());
        for (String gone : Set.copyOf(current.keySet())) {
            if (!expiries.containsKey(gone)) {
                remove(namespace, name, gone, current);
            }
        }
        expiries.forEach((certificate, seconds) -> current.computeIfAbsent(certificate,
                c -> series.register(EXPIRY, tags(namespace, name, c), new AtomicLong(), AtomicLong::get)).set(seconds));
        values.computeIfPresent(ClusterSeries.key(namespace, name), (k, left) -> left.isEmpty() ? null : left);
    }

    /** Drops every gauge of a deleted cluster. */
    public void forget(String namespace, String name) {
        update(namespace, name, null);
    }

    private void remove(String namespace, String name, String certificate, Map<String, AtomicLong> current) {
        current.remove(certificate);
        series.remove(EXPIRY, tags(namespace, name, certificate));
    }

    private Tags tags(String namespace, String name, String certificate) {
        return series.tags(namespace, name).and("certificate", certificate);
    }
}
