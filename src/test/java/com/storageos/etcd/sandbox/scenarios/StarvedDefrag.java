package com.storageos.etcd.sandbox.scenarios;

import com.storageos.etcd.sandbox.node.SandboxNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes a small defragmentation last as long as a large one: from the moment the member reports a defrag in flight
 * ({@code etcd_disk_defrag_inflight 1} on its metrics listener) its container runs a few milliseconds every 4 s (SIGSTOP and SIGCONT),
 * as a tight CFS quota throttles a pod, for {@code starvedFor}; then it runs freely and finishes. A 1 GiB defrag takes
 * 29 s on an idle machine (README, "Defragmentation of 1 GiB") and proportionally longer for a larger db or a slower
 * disk; filling one here that outlasts the old liveness budget would cost minutes of CI.
 */
final class StarvedDefrag implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

    private final SandboxNode node;
    private final String namespace;
    private final String pod;
    private final Thread thread;
    private final AtomicLong starvedSince = new AtomicLong(-1);
    private volatile boolean closed;

    private StarvedDefrag(SandboxNode node, String namespace, String pod, String metricsUrl, Duration starvedFor) {
        this.node = node;
        this.namespace = namespace;
        this.pod = pod;
        this.thread = new Thread(() -> run(metricsUrl, starvedFor), "starve-" + pod);
        this.thread.setDaemon(true);
    }

    /** Watches {@code pod}'s metrics listener ({@code http://ip:port}) and starves it once its defrag begins. */
    static StarvedDefrag watch(SandboxNode node, String namespace, String pod, String metricsUrl, Duration starvedFor) {
        StarvedDefrag s = new StarvedDefrag(node, namespace, pod, metricsUrl, starvedFor);
        s.thread.start();
        return s;
    }

    /** Whether the defrag was caught in flight and the container starved. */
    boolean starved() {
        return starvedSince.get() >= 0;
    }

    private void run(String metricsUrl, Duration starvedFor) {
        Process starver = null;
        try {
            while (!closed && !defragInFlight(metricsUrl)) {
                Thread.sleep(20);
            }
            if (closed) {
                return;
            }
            long pid = node.containerPid(namespace, pod);
            starvedSince.set(System.nanoTime());
            // bash's builtin kill signals without a fork: each run window is the short sleep's start and its 5 ms. The defrag
            // advances about one step per window, whatever its length, hence long stops rather than short runs.
            starver = new ProcessBuilder("bash", "-c", "end=$((SECONDS+" + starvedFor.toSeconds() + ")); while [ $SECONDS -lt $end ]; do"
                    + " kill -STOP " + pid + "; sleep 3.995; kill -CONT " + pid + "; sleep 0.005; done; kill -CONT " + pid)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            while (!closed && starver.isAlive()) {
                starver.waitFor(100, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } finally {
            if (starver != null) {
                starver.destroy();
            }
            thaw();
        }
    }

    private static boolean defragInFlight(String metricsUrl) {
        try {
            String body = HTTP.send(HttpRequest.newBuilder(URI.create(metricsUrl + "/metrics")).timeout(Duration.ofSeconds(1)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return body.lines().anyMatch(l -> l.equals("etcd_disk_defrag_inflight 1"));
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void thaw() {
        try {
            node.thawContainer(namespace, pod);
        } catch (IOException | IllegalStateException e) {
            // the pod is gone: nothing left to thaw
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        thread.join(TimeUnit.SECONDS.toMillis(5));
        thaw();
    }
}
