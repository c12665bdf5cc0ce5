package com.storageos.etcd.desired;

import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;

/**
 * Probes on etcd's plain-HTTP metrics listener, so that they work with client TLS on.
 * Readiness needs a leader and a linearizable read: learners and members without quorum drop out
 * of the client Service. Liveness reads serializably: losing quorum must never make the kubelet
 * restart every member at once.
 */
final class MemberProbes {
    private MemberProbes() {
    }

    static Probe readiness() {
        return http("/health", 5, 3);
    }

    static Probe liveness() {
        return http("/health?serializable=true", 10, 6);
    }

    /** A member replaying a large WAL after a restart may take minutes before it answers. */
    static Probe startup() {
        return http("/health?serializable=true", 5, 60);
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
