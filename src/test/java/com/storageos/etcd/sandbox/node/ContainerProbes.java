package com.storageos.etcd.sandbox.node;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.Probe;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * The kubelet's prober for one running container, with the pod spec's own periods, timeouts and
 * thresholds: the startup probe first, then readiness and liveness. HTTP GET probes only (all a
 * member pod has); a container without a probe counts as passing it.
 */
final class ContainerProbes {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

    /** What the probes say now: whether the container is ready, and why it must be restarted (empty: it need not). */
    record Verdict(boolean ready, Optional<String> restart) {
    }

    private final Container container;
    private final String podIp;
    private final Schedule startup;
    private final Schedule readiness;
    private final Schedule liveness;
    private boolean started;
    private boolean ready;

    ContainerProbes(Container container, String podIp, long startedNanos) {
        this.container = container;
        this.podIp = podIp;
        this.startup = new Schedule(container.getStartupProbe(), startedNanos);
        this.readiness = new Schedule(container.getReadinessProbe(), startedNanos);
        this.liveness = new Schedule(container.getLivenessProbe(), startedNanos);
        this.started = container.getStartupProbe() == null;
    }

    /** Runs every probe that is due. */
    Verdict tick(long nowNanos) {
        if (!started) {
            if (startup.due(nowNanos)) {
                started = startup.record(get(startup.probe)).orElse(false);
                if (startup.failedOut()) {
                    return new Verdict(false, Optional.of("startup probe failed " + startup.failures + " times"));
                }
            }
            return new Verdict(false, Optional.empty());
        }
        if (readiness.probe == null) {
            ready = true;
        } else if (readiness.due(nowNanos)) {
            readiness.record(get(readiness.probe)).ifPresent(r -> ready = r);
        }
        if (liveness.probe != null && liveness.due(nowNanos)) {
            liveness.record(get(liveness.probe));
            if (liveness.failedOut()) {
                return new Verdict(ready, Optional.of("liveness probe failed " + liveness.failures + " times"));
            }
        }
        return new Verdict(ready, Optional.empty());
    }

    private boolean get(Probe probe) {
        HTTPGetAction get = probe.getHttpGet();
        if (get == null) {
            return true;
        }
        int port = get.getPort().getIntVal() != null ? get.getPort().getIntVal() : container.getPorts().stream()
                .filter(p -> get.getPort().getStrVal().equals(p.getName())).findFirst().orElseThrow().getContainerPort();
        String host = get.getHost() != null ? get.getHost() : podIp;
        int timeout = Optional.ofNullable(probe.getTimeoutSeconds()).orElse(1);
        try {
            var request = HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + get.getPath()))
                    .timeout(Duration.ofSeconds(timeout)).build();
            int code = HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            return code >= 200 && code < 400;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** One probe's timing and its consecutive results. */
    private static final class Schedule {
        final Probe probe;
        private long nextNanos;
        private int successes;
        private int failures;

        Schedule(Probe probe, long startedNanos) {
            this.probe = probe;
            long delay = probe == null ? 0 : Optional.ofNullable(probe.getInitialDelaySeconds()).orElse(0);
            this.nextNanos = startedNanos + Duration.ofSeconds(delay).toNanos();
        }

        boolean due(long nowNanos) {
            if (probe == null || nowNanos < nextNanos) {
                return false;
            }
            nextNanos = nowNanos + Duration.ofSeconds(Optional.ofNullable(probe.getPeriodSeconds()).orElse(10)).toNanos();
            return true;
        }

        /** The new verdict once a threshold is reached, else empty (the previous verdict stands). */
        Optional<Boolean> record(boolean success) {
            successes = success ? successes + 1 : 0;
            failures = success ? 0 : failures + 1;
            if (successes >= Optional.ofNullable(probe.getSuccessThreshold()).orElse(1)) {
                return Optional.of(true);
            }
            return failedOut() ? Optional.of(false) : Optional.empty();
        }

        boolean failedOut() {
            return failures >= Optional.ofNullable(probe.getFailureThreshold()).orElse(3);
        }
    }
}
