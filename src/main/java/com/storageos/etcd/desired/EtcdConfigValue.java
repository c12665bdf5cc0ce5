package com.storageos.etcd.desired;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The value of an {@code spec.etcd.extraArgs} entry typed for etcd's configuration file. etcd reads
 * that file into typed Go fields and exits on a mismatch ("cannot unmarshal string into Go struct
 * field configYAML.max-txn-ops of type uint"), while extraArgs holds every value as a string, the
 * way the command-line flag takes it.
 */
public final class EtcdConfigValue {
    /**
     * Fields by their name without "experimental-": etcd 3.6 drops that prefix from most of them (see
     * {@link ReleaseConfigKeys}) and the field keeps its type. String fields whose values may look like numbers or booleans.
     */
    private static final Set<String> STRINGS = Set.of("auto-compaction-retention", "enable-v2v3",
            "distributed-tracing-instance-id", "distributed-tracing-service-name");
    /** time.Duration fields: the file wants nanoseconds, the flag takes "5s". */
    private static final Set<String> DURATIONS = Set.of("grpc-keepalive-min-time", "grpc-keepalive-interval",
            "grpc-keepalive-timeout", "corrupt-check-time", "watch-progress-notify-interval",
            "compact-hash-check-time", "compaction-sleep-interval",
            "downgrade-check-time", "wait-cluster-ready-timeout",
            "warning-apply-duration", "warning-unary-request-duration");
    private static final String EXPERIMENTAL = "experimental-";
    /** []string fields: the flag takes a comma-separated list. */
    private static final Set<String> LISTS = Set.of("cipher-suites");
    private static final Pattern INTEGER = Pattern.compile("-?[0-9]+");
    private static final Pattern DURATION = Pattern.compile("([0-9]+(ns|us|\u00b5s|ms|s|m|h))+");
    private static final Pattern DURATION_PART = Pattern.compile("([0-9]+)(ns|us|\u00b5s|ms|s|m|h)");
    private static final Map<String, Long> UNIT_NANOS = Map.of("ns", 1L, "us", 1_000L, "\u00b5s", 1_000L, "ms", 1_000_000L,
            "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L);

    private EtcdConfigValue() {
    }

    /** Keys listed above get their field's type; elsewhere {@code true}/{@code false} are booleans and integers are numbers. */
    public static Object of(String key, String value) {
        String field = key.startsWith(EXPERIMENTAL) ? key.substring(EXPERIMENTAL.length()) : key;
        if (STRINGS.contains(field)) {
            return value;
        }
        if (LISTS.contains(field)) {
            return Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        }
        if (DURATIONS.contains(field) && !INTEGER.matcher(value).matches()) {
            return nanos(value);
        }
        if (value.equals("true") || value.equals("false")) {
            return Boolean.valueOf(value);
        }
        // uint64 fields such as snapshot-count may exceed a long.
        return INTEGER.matcher(value).matches() ? new BigInteger(value) : value;
    }

    /** Go's duration syntax without fractions ("1h30m", "500ms"); anything else is left for etcd to reject. */
    private static Object nanos(String value) {
        if (!DURATION.matcher(value).matches()) {
            return value;
        }
        BigInteger total = BigInteger.ZERO;
        for (Matcher part = DURATION_PART.matcher(value); part.find(); ) {
            total = total.add(new BigInteger(part.group(1)).multiply(BigInteger.valueOf(UNIT_NANOS.get(part.group(2)))));
        }
        return total;
    }
}
