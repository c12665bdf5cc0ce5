package com.storageos.etcd.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The series of a Prometheus text exposition (what a scrape reads), by metric name: each series' labels. */
public final class PrometheusText {
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+\\S+.*$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final Map<String, List<Map<String, String>>> series;

    private PrometheusText(Map<String, List<Map<String, String>>> series) {
        this.series = series;
    }

    public static PrometheusText parse(String... expositions) {
        Map<String, List<Map<String, String>>> series = new LinkedHashMap<>();
        for (String text : expositions) {
            for (String line : text.split("\n")) {
                Matcher m = SAMPLE.matcher(line.trim());
                if (line.startsWith("#") || !m.matches()) {
                    continue;
                }
                Map<String, String> labels = new LinkedHashMap<>();
                if (m.group(3) != null) {
                    Matcher l = LABEL.matcher(m.group(3));
                    while (l.find()) {
                        labels.put(l.group(1), l.group(2));
                    }
                }
                series.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(labels);
            }
        }
        return new PrometheusText(series);
    }

    public boolean has(String metric) {
        return series.containsKey(metric);
    }

    /** The series of {@code metric} (empty if it is not exported). */
    public List<Map<String, String>> series(String metric) {
        return series.getOrDefault(metric, List.of());
    }

    /** Every label name any series of {@code metric} carries. */
    public Set<String> labelNames(String metric) {
        Set<String> names = new TreeSet<>();
        series(metric).forEach(s -> names.addAll(s.keySet()));
        return names;
    }

    /** Metric names that have a series with every one of these label values. */
    public Set<String> metricsWith(Map<String, String> labels) {
        Set<String> names = new TreeSet<>();
        series.forEach((name, list) -> {
            if (list.stream().anyMatch(s -> s.entrySet().containsAll(labels.entrySet()))) {
                names.add(name);
            }
        });
        return names;
    }
}
