package com.storageos.etcd.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One real etcd server process on loopback, for tests. Each instance reserves its own free client
 * and peer ports and its own temp dir ({@code data/} plus {@code etcd.log} with the process output),
 * so tests can run in parallel. Ports and dir stay the same across {@link #restart()}.
 *
 * <pre>{@code
 * try (EtcdProcess etcd = EtcdProcess.reserve("e0")) {
 *     etcd.startNewCluster();
 *     // talk to etcd.clientUrl()
 * }
 * }</pre>
 */
public final class EtcdProcess implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private final String name;
    private final EtcdListeners at;
    private EtcdBinaries release = EtcdBinaries.tested();
    private List<String> lastArgs;
    private Process process;

    private EtcdProcess(EtcdListeners at) {
        this.name = at.name();
        this.at = at;
    }

    /** Reserves two free loopback ports and a temp dir for a member called {@code name}; starts nothing. */
    public static EtcdProcess reserve(String name) {
        return reserve(name, null);
    }

    /**
     * As {@link #reserve(String)}, but with mutual TLS on both listeners when {@code tlsDir} is given: it holds
     * {@code ca.crt}, {@code server.crt}/{@code server.key} (clients) and {@code peer.crt}/{@code peer.key}. Health is
     * then read from a plain metrics listener, as the member pods' probes do.
     */
    public static EtcdProcess reserve(String name, Path tlsDir) {
        return reserve(name, tlsDir, tlsDir != null);
    }

    /** As {@link #reserve(String, Path)}; with {@code peerTls} false only the client listener is TLS (peer.crt is not needed). */
    public static EtcdProcess reserve(String name, Path tlsDir, boolean peerTls) {
        try {
            Path dir = Files.createTempDirectory("etcd-" + name + "-");
            return new EtcdProcess(new EtcdListeners(name, FreshPorts.take(), FreshPorts.take(), FreshPorts.take(), dir, tlsDir, peerTls));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String name() {
        return name;
    }

    public String clientUrl() {
        return at.clientUrl();
    }

    public String peerUrl() {
        return at.peerUrl();
    }

    public Path dataDir() {
        return at.dataDir();
    }

    /** etcd's stdout and stderr, appended across restarts. */
    public Path logFile() {
        return at.logFile();
    }

    /** Starts this member as the only member of a brand-new cluster and waits until it is healthy. */
    public void startNewCluster(String... extraFlags) {
        startMember(name + "=" + peerUrl(), "new", extraFlags);
        awaitHealthy();
    }

    /**
     * Starts this member joining an existing cluster ({@code --initial-cluster-state existing}); it
     * must already have been added with member add. Does not wait: a learner may not report
     * healthy at once; call {@link #awaitHealthy()} if needed.
     *
     * @param initialCluster {@code name=peerUrl,...} for every member, this one included
     */
    public void startJoining(String initialCluster, String... extraFlags) {
        startMember(initialCluster, "existing", extraFlags);
    }

    /** Starts again with the flags of the last start, on the same ports and data dir, with the release now chosen. */
    public void restart() {
        if (lastArgs == null) {
            throw new IllegalStateException(name + " was never started");
        }
        List<String> args = new ArrayList<>(lastArgs);
        args.set(0, release.etcd());
        launch(args);
    }

    /** The etcd release the next start or {@link #restart()} runs (the tested line unless chosen): an upgrade swaps it. */
    public EtcdProcess release(EtcdBinaries binaries) {
        this.release = binaries;
        return this;
    }

    public EtcdBinaries release() {
        return release;
    }

    /** Waits until {@code /health} answers {@code "health":"true"}; fails early if the process exits. */
    public void awaitHealthy() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "\n" + logTail());
            }
            if (at.healthy()) {
                return;
            }
            sleep(50);
        }
        throw new IllegalStateException(name + " not healthy within " + READY_TIMEOUT + "\n" + logTail());
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** True if the process exits by itself within {@code timeout}. */
    public boolean awaitExit(Duration timeout) {
        try {
            return process == null || process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** kill -9: no clean shutdown, like a crashed pod. */
    public void kill() {
        if (process != null) {
            process.destroyForcibly();
            awaitExit(Duration.ofSeconds(10));
        }
    }

    /** SIGTERM, then kill -9 if it has not exited after 10 s. */
    public void stop() {
        if (process != null) {
            process.destroy();
            if (!awaitExit(Duration.ofSeconds(10))) {
                kill();
            }
        }
    }

    /** Deletes the data dir (the log stays); the process must not be running. */
    public void wipe() {
        if (isAlive()) {
            throw new IllegalStateException(name + " is running");
        }
        deleteTree(dataDir());
    }

    /** The last lines of the log, for failure messages. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile());
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Kills the process and deletes its dir. */
    @Override
    public void close() {
        kill();
        deleteTree(at.dir());
    }

    @Override
    public String toString() {
        return name + "@" + clientUrl();
    }

    /** Starts without waiting; {@code state} is etcd's --initial-cluster-state, "new" or "existing". */
    void startMember(String initialCluster, String state, String... extraFlags) {
        if (isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        launch(at.command(release.etcd(), initialCluster, state, extraFlags));
    }

    private void launch(List<String> args) {
        try {
            lastArgs = List.copyOf(args);
            ProcessBuilder builder = new ProcessBuilder(args).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()));
            // etcd reads ETCD_* variables as flags; this JVM's (ETCD_BINARIES_DIR) are none of its own.
            builder.environment().keySet().removeIf(k -> k.startsWith("ETCD"));
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
