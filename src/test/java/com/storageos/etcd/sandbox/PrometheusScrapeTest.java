package com.storageos.etcd.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class PrometheusScrapeTest {
    static final String BEFORE = """
            # TYPE t_seconds histogram
            t_seconds_bucket{controller="a",le="0.01"} 10.0
            t_seconds_bucket{controller="a",le="0.1"} 10.0
            t_seconds_bucket{controller="a",le="1.0"} 10.0
            t_seconds_bucket{controller="a",le="+Inf"} 10.0
            t_seconds_bucket{controller="b",le="0.01"} 5.0
            t_seconds_bucket{controller="b",le="+Inf"} 5.0
            jvm_memory_used_bytes{area="heap",id="eden"} 1000.0
            jvm_memory_used_bytes{area="heap",id="old"} 500.0
            jvm_memory_used_bytes{area="nonheap",id="meta"} 7.0
            """;
    static final String AFTER = """
            t_seconds_bucket{controller="a",le="0.01"} 60.0
            t_seconds_bucket{controller="a",le="0.1"} 108.0
            t_seconds_bucket{controller="a",le="1.0"} 110.0
            t_seconds_bucket{controller="a",le="+Inf"} 110.0
            """;

    @Test
    void sumsTheMatchingSeries() {
        assertThat(PrometheusScrape.of(BEFORE).sum("jvm_memory_used_bytes", "area=\"heap\"")).isEqualTo(1500.0);
    }

    @Test
    void quantilesOfTheWindowBetweenTwoScrapesInterpolateInsideTheirBucket() {
        TreeMap<Double, Double> window = PrometheusScrape.minus(PrometheusScrape.of(AFTER).buckets("t_seconds", "controller=\"a\""),
                PrometheusScrape.of(BEFORE).buckets("t_seconds", "controller=\"a\""));
        assertThat(window).containsEntry(0.01, 50.0).containsEntry(0.1, 98.0).containsEntry(Double.POSITIVE_INFINITY, 100.0);
        assertThat(PrometheusScrape.quantile(0.5, window)).isCloseTo(0.01, within(1e-9));
        // rank 99 of 100: the one reconcile between 0.1 s and 1 s, half-way into that bucket.
        assertThat(PrometheusScrape.quantile(0.99, window)).isCloseTo(0.55, within(1e-9));
        assertThat(PrometheusScrape.quantile(0.5, new TreeMap<>())).isNaN();
    }
}
