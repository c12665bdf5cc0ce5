package com.storageos.etcd.desired;

import com.storageos.etcd.membership.EtcdVersion;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;

/**
 * Probes on etcd's plain-HTTP metrics listener, so that they work with client TLS on. Alarms are
 * cluster-wide (every member's {@code /health} fails while one member's NOSPACE is active), so no
 * probe may fail for an alarm that a restart cannot cure, and readiness ignores NOSPACE: reads,
 * deletes, compaction and the defrag that cures it all still work, and an unready cluster would
 * empty the client Service and block every drain through the disruption budget.
 * Liveness must also pass without quorum, or losing it would restart every member at once.
 * What {@code /health} honours differs by patch release, hence the paths per version.
 *
 * <p>A defragmentation holds the member's backend for its whole run, and every path above but {@code /metrics}
 * reads the backend ({@code /livez} of 3.5.11+ too), so none answers until it ends: 29 s for a 1.2 GB db here
 * (README, "Defragmentation of 1 GiB"). Liveness therefore fails for as long as the defrag tool allows a member,
 * {@code spec.defrag.timeoutSeconds}, and its budget is derived from that timeout, so that the kubelet never
 * kills a member the tool is still waiting for; a backend stuck for longer is still restarted.
 *
 * @param readinessPath needs a leader and a quorum read: members without quorum, or under defrag, leave the client Service
 * @param livenessPath  the process serves a local read; also the startup path, so a member restarted under NOSPACE or
 *                      without quorum is not killed again when its startup budget runs out
 * @param livenessFailures consecutive liveness failures before the kubelet restarts the member
 */
record MemberProbes(String readinessPath, String livenessPath, int livenessFailures) {
    static final int LIVENESS_PERIOD_SECONDS = 10;
    /** The budget without a defrag to outlast: a minute of failures. */
    static final int MIN_LIVENESS_FAILURES = 6;

    /** @param defragTimeoutSeconds the longest a defrag may hold a member's backend ({@code spec.defrag.timeoutSeconds}) */
    static MemberProbes forVersion(String version, int defragTimeoutSeconds) {
        EtcdVersion v = EtcdVersion.parse(version).orElseThrow(() -> new IllegalArgumentException("not an etcd release: " + version));
        // 3.4.16+ and every 3.5 honour ?exclude=<alarm>; earlier releases fail /health on any alarm.
        boolean excludes = v.compareTo(new EtcdVersion(3, 4, 16)) >= 0;
        // 3.4.29+ and 3.5.3+ honour ?serializable=true; earlier releases ignore it and need a leader and a
        // quorum read, so only /metrics answers on every member of a cluster that lost quorum.
        boolean serializable = v.compareTo(new EtcdVersion(3, 5, 3)) >= 0
                || (v.compareTo(new EtcdVersion(3, 4, 29)) >= 0 && !v.atLeast(3, 5));
        return new MemberProbes(excludes ? "/health?exclude=NOSPACE" : "/health",
                serializable ? "/health?exclude=NOSPACE&exclude=CORRUPT&serializable=true" : "/metrics",
                livenessFailures(defragTimeoutSeconds));
    }

    /**
     * The kubelet restarts after this many consecutive failures a period apart. The first may come from a probe sent
     * up to its timeout before the defrag began, so they cover at least {@code (failures - 1) x period} of the defrag,
     * which must exceed the tool's timeout: {@code ceil(timeout / period) + 2}.
     */
    private static int livenessFailures(int defragTimeoutSeconds) {
        int periods = (defragTimeoutSeconds + LIVENESS_PERIOD_SECONDS - 1) / LIVENESS_PERIOD_SECONDS;
        return Math.max(MIN_LIVENESS_FAILURES, periods + 2);
    }

    /** Every 2 s: the kubelet asks once a period, so up to a period passes between a member answering and its pod Ready. */
    Probe readiness() {
        return http(readinessPath, 2, 3);
    }

    Probe liveness() {
        return http(livenessPath, LIVENESS_PERIOD_SECONDS, livenessFailures);
    }

    /**
     * A member replaying a large WAL after a restart may take minutes before it answers: 5 minutes, asked every
     * second, since etcd on its data starts in well under one and nothing else counts until this probe passes.
     */
    Probe startup() {
        return http(livenessPath, 1, 300);
    }

    private static Probe http(String path, int periodSeconds, int failureThreshold) {
        return new ProbeBuilder()
                .withNewHttpGet().withPath(path).withNewPort("metrics").withScheme("HTTP").endHttpGet()
                .withPeriodSeconds(periodSeconds)
                .withTimeoutSeconds(3)
                .withFailureThreshold(failureThreshold)
                .build();
    }
}
