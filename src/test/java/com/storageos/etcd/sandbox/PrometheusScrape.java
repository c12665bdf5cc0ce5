package com.storageos.etcd.sandbox;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** One scrape of a Prometheus text endpoint, read back: sums over matching series, and a histogram's buckets. */
public record PrometheusScrape(List<String> lines) {
    /** JOSDK's reconcile timer (one per controller, MicrometerMetricsV2) and the EtcdCluster controller's label on it. */
    public static final String RECONCILE_TIMER = "reconciliations_execution_duration_seconds";
    public static final String ETCDCLUSTER_CONTROLLER = "controller_name=\"etcdcluster\"";

    public static PrometheusScrape of(String text) {
        return new PrometheusScrape(text.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).toList());
    }

    /** The sum of every series of {@code metric} whose labels contain each of {@code labels} (say {@code area="heap"}). */
    public double sum(String metric, String... labels) {
        return lines.stream().filter(l -> name(l).equals(metric) && containsAll(l, labels)).mapToDouble(PrometheusScrape::value).sum();
    }

    /** The cumulative bucket counts of a histogram by upper bound (seconds), summed over the matching series. */
    public TreeMap<Double, Double> buckets(String histogram, String... labels) {
        TreeMap<Double, Double> buckets = new TreeMap<>();
        lines.stream().filter(l -> name(l).equals(histogram + "_bucket") && containsAll(l, labels)).forEach(l -> {
            String le = l.substring(l.indexOf("le=\"") + 4);
            le = le.substring(0, le.indexOf('"'));
            buckets.merge(le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le), value(l), Double::sum);
        });
        return buckets;
    }

    /** Bucket counts of {@code later} minus those of {@code earlier}: the histogram of what happened between two scrapes. */
    public static TreeMap<Double, Double> minus(TreeMap<Double, Double> later, Map<Double, Double> earlier) {
        TreeMap<Double, Double> delta = new TreeMap<>();
        later.forEach((le, n) -> delta.put(le, n - earlier.getOrDefault(le, 0.0)));
        return delta;
    }

    /**
     * The q-quantile of cumulative buckets, interpolated linearly inside its bucket as Prometheus'
     * {@code histogram_quantile} does; the largest finite bound when it falls in the +Inf bucket; NaN when empty.
     */
    public static double quantile(double q, TreeMap<Double, Double> cumulative) {
        if (cumulative.isEmpty() || cumulative.lastEntry().getValue() <= 0) {
            return Double.NaN;
        }
        double rank = q * cumulative.lastEntry().getValue();
        double lower = 0;
        double below = 0;
        for (Map.Entry<Double, Double> b : cumulative.entrySet()) {
            if (b.getValue() >= rank) {
                if (b.getKey().isInfinite()) {
                    return lower;
                }
                double inBucket = b.getValue() - below;
                return inBucket <= 0 ? b.getKey() : lower + (b.getKey() - lower) * (rank - below) / inBucket;
            }
            lower = b.getKey();
            below = b.getValue();
        }
        return lower;
    }

    private static String name(String line) {
        int end = line.indexOf('{');
        return end < 0 ? line.substring(0, line.indexOf(' ')) : line.substring(0, end);
    }

    private static boolean containsAll(String line, String... labels) {
        for (String label : labels) {
            if (!line.contains(label)) {
                return false;
            }
        }
        return true;
    }

    private static double value(String line) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }
}
