package com.storageos.etcd.reconciler.etcdcluster;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Whether a live object already carries every field of a desired one, with the same value. The
 * server adds defaults and other managers' fields, so the live object may hold more; it must not
 * hold less or differ. Empty maps and lists count as absent, as the API server stores them.
 */
final class LiveCoverage {
    private LiveCoverage() {
    }

    static boolean covers(Object live, Object desired) {
        if (desired == null) {
            return true;
        }
        if (desired instanceof Map<?, ?> wanted) {
            if (!(live instanceof Map<?, ?> have)) {
                return live == null && wanted.values().stream().allMatch(v -> covers(null, v));
            }
            return wanted.entrySet().stream().allMatch(e -> covers(have.get(e.getKey()), e.getValue()));
        }
        if (desired instanceof List<?> wanted) {
            if (!(live instanceof List<?> have)) {
                return live == null && wanted.isEmpty();
            }
            if (have.size() != wanted.size()) {
                return false;
            }
            for (int i = 0; i < wanted.size(); i++) {
                if (!covers(have.get(i), wanted.get(i))) {
                    return false;
                }
            }
            return true;
        }
        // Scalars: JSON numbers may come back as another Java number type.
        return live != null && Objects.equals(String.valueOf(live), String.valueOf(desired));
    }
}
