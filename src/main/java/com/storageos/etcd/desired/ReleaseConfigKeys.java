package com.storageos.etcd.desired;

import com.storageos.etcd.membership.EtcdVersion;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The member configuration with the keys the member's etcd release expects. The operator itself renders only keys
 * every release since 3.4 shares; what differs is in {@code spec.etcd.extraArgs}, written the 3.5 way. etcd 3.6
 * (its upgrade guide, "Upgrade etcd from v3.5 to v3.6": https://etcd.io/docs/v3.6/upgrades/upgrade_3_6/) gives the
 * experimental keys stable names and turns some into feature gates; it still reads the old keys but 3.7 drops them,
 * so a 3.6 member gets the new ones. The keys 3.6 removed (the v2 store and the proxy) are refused at admission.
 */
public final class ReleaseConfigKeys {
    /** "Flags deprecated": the 3.5 key and its 3.6 name. */
    static final Map<String, String> RENAMED_IN_3_6 = Map.ofEntries(
            Map.entry("experimental-bootstrap-defrag-threshold-megabytes", "bootstrap-defrag-threshold-megabytes"),
            Map.entry("experimental-compaction-batch-limit", "compaction-batch-limit"),
            Map.entry("experimental-compact-hash-check-time", "compact-hash-check-time"),
            Map.entry("experimental-compaction-sleep-interval", "compaction-sleep-interval"),
            Map.entry("experimental-corrupt-check-time", "corrupt-check-time"),
            Map.entry("experimental-enable-distributed-tracing", "enable-distributed-tracing"),
            Map.entry("experimental-distributed-tracing-address", "distributed-tracing-address"),
            Map.entry("experimental-distributed-tracing-instance-id", "distributed-tracing-instance-id"),
            Map.entry("experimental-distributed-tracing-sampling-rate", "distributed-tracing-sampling-rate"),
            Map.entry("experimental-distributed-tracing-service-name", "distributed-tracing-service-name"),
            Map.entry("experimental-downgrade-check-time", "downgrade-check-time"),
            Map.entry("experimental-max-learners", "max-learners"),
            Map.entry("experimental-memory-mlock", "memory-mlock"),
            Map.entry("experimental-snapshot-catchup-entries", "snapshot-catchup-entries"),
            Map.entry("experimental-warning-apply-duration", "warning-apply-duration"),
            Map.entry("experimental-warning-unary-request-duration", "warning-unary-request-duration"),
            Map.entry("experimental-watch-progress-notify-interval", "watch-progress-notify-interval"));
    // experimental-peer-skip-client-san-verification stays: 3.6 names a flag for it but its file key is still the old one.

    /** "Equivalent flags of v3.5 feature gates": the 3.5 key and the gate 3.6 reads from {@code feature-gates}. */
    static final Map<String, String> GATES_IN_3_6 = Map.of(
            "experimental-compact-hash-check-enabled", "CompactHashCheck",
            "experimental-initial-corrupt-check", "InitialCorruptCheck",
            "experimental-enable-lease-checkpoint", "LeaseCheckpoint",
            "experimental-enable-lease-checkpoint-persist", "LeaseCheckpointPersist",
            "experimental-stop-grpc-service-on-defrag", "StopGRPCServiceOnDefrag",
            "experimental-txn-mode-write-with-shared-buffer", "TxnModeWriteWithSharedBuffer");

    static final String FEATURE_GATES = "feature-gates";

    private ReleaseConfigKeys() {
    }

    /** @param version spec.version; before 3.6 the keys are returned as they are */
    public static Map<String, Object> forRelease(String version, Map<String, Object> keys) {
        if (EtcdVersion.parse(version).filter(v -> v.atLeast(3, 6)).isEmpty()) {
            return keys;
        }
        Map<String, Object> renamed = new TreeMap<>();
        keys.forEach((key, value) -> {
            if (!RENAMED_IN_3_6.containsKey(key) && !GATES_IN_3_6.containsKey(key)) {
                renamed.put(key, value);
            }
        });
        // A key given under its new name as well wins over the old one.
        keys.forEach((key, value) -> {
            if (RENAMED_IN_3_6.containsKey(key)) {
                renamed.putIfAbsent(RENAMED_IN_3_6.get(key), value);
            }
        });
        Map<String, String> gates = new LinkedHashMap<>();
        Object given = renamed.get(FEATURE_GATES);
        if (given != null) {
            Arrays.stream(given.toString().split(",")).map(String::strip).filter(g -> !g.isEmpty())
                    .forEach(g -> gates.put(g.split("=", 2)[0], g));
        }
        new TreeMap<>(keys).forEach((key, value) -> {
            if (GATES_IN_3_6.containsKey(key)) {
                gates.putIfAbsent(GATES_IN_3_6.get(key), GATES_IN_3_6.get(key) + "=" + value);
            }
        });
        if (!gates.isEmpty()) {
            renamed.put(FEATURE_GATES, String.join(",", gates.values()));
        }
        return renamed;
    }
}
