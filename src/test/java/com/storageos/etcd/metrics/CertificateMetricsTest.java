package com.storageos.etcd.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.status.CertificateStatus;
import com.storageos.etcd.api.v1alpha1.status.TlsStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CertificateMetricsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final CertificateMetrics metrics = new CertificateMetrics(registry, "etcd_cluster");

    @Test
    void oneGaugePerCertificateFollowsItsRenewal() {
        metrics.update("ns", "kv", new TlsStatus(List.of(cert("ca", "2034-05-10T12:00:00Z"), cert("server", "2024-08-08T12:00:00Z"))));
        assertThat(expiries()).isEqualTo(Map.of("ca", 2030875200.0, "server", 1723118400.0));

        metrics.update("ns", "kv", new TlsStatus(List.of(cert("ca", "2034-05-10T12:00:00Z"), cert("server", "2024-11-06T12:00:00Z"))));
        assertThat(expiries()).as("a renewed certificate moves its gauge, adding none").isEqualTo(Map.of("ca", 2030875200.0, "server", 1730894400.0));
    }

    @Test
    void aClusterWithoutTlsOrDeletedExportsNone() {
        metrics.update("ns", "plain", null);
        assertThat(registry.getMeters()).isEmpty();

        metrics.update("ns", "kv", new TlsStatus(List.of(cert("peer", "2024-08-08T12:00:00Z"))));
        metrics.update("ns", "other", new TlsStatus(List.of(cert("peer", "2024-08-08T12:00:00Z"))));
        metrics.forget("ns", "kv");
        assertThat(registry.getMeters()).singleElement().satisfies(m -> assertThat(m.getId().getTag("etcd_cluster")).isEqualTo("other"));
    }

    private Map<String, Double> expiries() {
        return registry.find(CertificateMetrics.EXPIRY).tags("namespace", "ns", "etcd_cluster", "kv").gauges().stream()
                .collect(Collectors.toMap(g -> g.getId().getTag("certificate"), Gauge::value));
    }

    private static CertificateStatus cert(String name, String notAfter) {
        return new CertificateStatus(name, "kv-tls-" + name, notAfter, null);
    }
}
