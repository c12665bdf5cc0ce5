package com.storageos.etcd.testing.kube;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged operator ({@code target/quarkus-app/quarkus-run.jar}, the image's entry point) as a
 * process: the chart's environment, a kubeconfig holding a TokenRequest token of the chart's
 * ServiceAccount (so RBAC is the chart's), and its own HTTP port for health and metrics. Needs
 * {@code ./mvnw package} first, which the failsafe phase guarantees.
 */
public final class OperatorProcess implements AutoCloseable {
    public static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final String name;
    private final Path log;
    private final int httpPort;
    private final Process process;

    private OperatorProcess(String name, Path log, int httpPort, Process process) {
        this.name = name;
        this.log = log;
        this.httpPort = httpPort;
        this.process = process;
    }

    /**
     * Starts one operator replica called {@code name} (its pod name and leader-election identity).
     *
     * @param extraEnv settings beyond the chart's, such as the sandbox's loopback member addressing
     */
    public static OperatorProcess start(OperatorInstall install, String name, Map<String, String> extraEnv) {
        return start(install, name, extraEnv, List.of());
    }

    /**
     * @param launcher a command the JVM's command line is appended to, which must exec it (say to start it in a cgroup of
     *                 its own); empty for none
     */
    public static OperatorProcess start(OperatorInstall install, String name, Map<String, String> extraEnv, List<String> launcher) {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: run ./mvnw package first (the *ApiServerTest and *SystemIT "
                    + "suites run after it, in Maven's integration-test phase)");
        }
        ControlPlane plane = install.plane();
        try {
            Path dir = Files.createDirectories(plane.dir().resolve("operator-" + name));
            Path kubeconfig = dir.resolve("kubeconfig");
            Files.writeString(kubeconfig, plane.kubeconfigAs(OperatorInstall.NAMESPACE, install.serviceAccount()));
            int port = ControlPlane.freePort();
            Map<String, String> env = new LinkedHashMap<>(install.env());
            env.put("KUBECONFIG", kubeconfig.toString());
            env.put("HOSTNAME", name);
            env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
            env.putAll(extraEnv);
            // The chart's JVM options reach the JVM through JAVA_TOOL_OPTIONS in its environment; MaxRAM stands in
            // for the container's memory limit, which is what a JVM in a pod sizes its heap from.
            List<String> command = new ArrayList<>(launcher);
            command.add(javaBinary());
            install.memoryLimitBytes().ifPresent(bytes -> command.add("-XX:MaxRAM=" + bytes));
            command.addAll(List.of("-jar", JAR.toAbsolutePath().toString()));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("operator.log").toFile()));
            // Only the chart's environment: the test JVM's own settings (say a KUBERNETES_MASTER) must not leak in.
            builder.environment().keySet().removeIf(k -> k.startsWith("KUBERNETES") || k.startsWith("QUARKUS") || k.startsWith("ETCD"));
            builder.environment().putAll(env);
            return new OperatorProcess(name, dir.resolve("operator.log"), port, builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until {@code /q/health/ready} answers 200, as the Deployment's readiness probe would; returns how long it took. */
    public Duration awaitReady(Duration timeout) {
        long start = System.nanoTime();
        while (System.nanoTime() - start < timeout.toNanos()) {
            if (!process.isAlive()) {
                throw new IllegalStateException("operator " + name + " exited with " + process.exitValue() + "\n" + logTail());
            }
            if (probe("/q/health/ready") == 200) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            pause(200);
        }
        throw new IllegalStateException("operator " + name + " not ready within " + timeout + "\n" + logTail());
    }

    /** The HTTP status of a GET on the operator's own port, or -1 if it does not answer. */
    public int probe(String path) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).timeout(Duration.ofSeconds(2)).build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The body of a GET on the operator's own port (metrics, health). */
    public String get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).timeout(Duration.ofSeconds(5)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }

    public String name() {
        return name;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** kill -9: the pod's node died or the OOM killer struck; no Lease release, no clean shutdown. */
    public void kill() {
        process.destroyForcibly();
        await(Duration.ofSeconds(10));
    }

    public Path log() {
        return log;
    }

    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** SIGTERM, as a pod deletion sends: true if the operator exits by itself within the grace period, else kill -9. */
    public boolean terminate(Duration grace) {
        process.destroy();
        if (await(grace)) {
            return true;
        }
        kill();
        return false;
    }

    @Override
    public void close() {
        terminate(Duration.ofSeconds(10));
    }

    private boolean await(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
