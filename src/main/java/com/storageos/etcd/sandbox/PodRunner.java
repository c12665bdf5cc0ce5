package com.storageos.etcd.sandbox;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * One pod on the process kubelet: waits for its claims, runs the init container until it succeeds
 * (backing off, its refusal reported in the status), then keeps the main container running as a
 * local process (restartPolicy Always, with backoff) and reports readiness from its probe.
 */
final class PodRunner {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    private final KubernetesClient client;
    private final Pod pod;
    private final VolumeMounts volumes;
    private final String podIp;
    private final InitContainer init;
    private final PodStatusReport report;
    private final Thread thread;
    private volatile boolean stopped;
    private volatile Process process;

    PodRunner(KubernetesClient client, Pod pod, VolumeMounts volumes, String podIp, InitContainer init) {
        this.client = client;
        this.pod = pod;
        this.volumes = volumes;
        this.podIp = podIp;
        this.init = init;
        this.report = new PodStatusReport(client, pod, podIp);
        this.thread = new Thread(this::run, "pod-" + pod.getMetadata().getName());
        thread.setDaemon(true);
    }

    Pod pod() {
        return pod;
    }

    void start() {
        thread.start();
    }

    private void run() {
        try {
            awaitClaims();
            volumes.prepare();
            if (!runInitContainers()) {
                return;
            }
            Container main = pod.getSpec().getContainers().get(0);
            for (int restarts = 0; !stopped; restarts++) {
                long started = System.nanoTime();
                process = launch(main);
                if (!report.running(false)) {
                    break;
                }
                while (process.isAlive() && !stopped) {
                    if (!report.readiness(probe(main))) {
                        stopped = true;
                    }
                    sleep(Duration.ofMillis(500));
                }
                if (stopped || !report.crashed(process.waitFor())) {
                    break;
                }
                boolean ranLong = Duration.ofNanos(System.nanoTime() - started).toSeconds() >= 10;
                sleep(backoff(ranLong ? 0 : restarts));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            System.err.println("kubelet: pod " + pod.getMetadata().getName() + ": " + e);
        } finally {
            terminate();
        }
    }

    private void awaitClaims() throws InterruptedException {
        for (String claim : StatefulSetEmulator.claimsOf(pod)) {
            while (!stopped && client.persistentVolumeClaims().inNamespace(pod.getMetadata().getNamespace()).withName(claim).get() == null) {
                sleep(Duration.ofMillis(200));
            }
        }
    }

    private boolean runInitContainers() throws Exception {
        for (Container c : pod.getSpec().getInitContainers()) {
            for (int attempt = 0; !stopped; attempt++) {
                Map<String, String> env = volumes.env(c, podIp);
                Path messageFile = Path.of(env.get("TERMINATION_MESSAGE_PATH"));
                Files.deleteIfExists(messageFile);
                int exit = init.run(pod, c, env, volumes.pathsOf(c));
                if (exit == 0) {
                    break;
                }
                String message = Files.exists(messageFile) ? Files.readString(messageFile) : "exit code " + exit;
                if (!report.initFailed(exit, message)) {
                    return false;
                }
                sleep(backoff(attempt));
            }
        }
        return !stopped && report.initSucceeded();
    }

    private Process launch(Container c) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(volumes.command(c)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(volumes.podDir().resolve(c.getName() + ".log").toFile()));
        // Only the container's own environment: etcd would also read this JVM's ETCD_* variables.
        builder.environment().keySet().removeIf(k -> k.startsWith("ETCD"));
        builder.environment().putAll(volumes.env(c, podIp));
        return builder.start();
    }

    /** The container's readiness probe, if it is an HTTP GET (a named port is looked up among the container's ports). */
    private boolean probe(Container c) {
        if (c.getReadinessProbe() == null || c.getReadinessProbe().getHttpGet() == null) {
            return true;
        }
        HTTPGetAction get = c.getReadinessProbe().getHttpGet();
        int port = get.getPort().getIntVal() != null ? get.getPort().getIntVal() : c.getPorts().stream()
                .filter(p -> get.getPort().getStrVal().equals(p.getName())).findFirst().orElseThrow().getContainerPort();
        String host = get.getHost() != null ? get.getHost() : podIp;
        try {
            var request = HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + get.getPath())).timeout(Duration.ofSeconds(1)).build();
            int code = HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            return code >= 200 && code < 400;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** kill -9 of the main container's process; the runner restarts it like a crashed container. */
    void kill() {
        Process p = process;
        if (p != null) {
            p.destroyForcibly();
        }
    }

    /** The pod is gone: stop its process (SIGTERM, then SIGKILL after a grace period) and wait. */
    void stop() {
        stopped = true;
        thread.interrupt();
        terminate();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void terminate() {
        Process p = process;
        if (p != null && p.isAlive()) {
            p.destroy();
            try {
                if (!p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        }
    }

    /** Shorter than the real kubelet's 10 s to 5 min, so that the sandbox heals at a watchable pace. */
    private static Duration backoff(int attempt) {
        return Duration.ofMillis(Math.min(8000, 1000L << Math.min(attempt, 3)));
    }

    private static void sleep(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis());
    }
}
