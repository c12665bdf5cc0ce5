package com.storageos.etcd.sandbox.bench;

import com.storageos.etcd.sandbox.node.SandboxNode;
import com.storageos.etcd.testing.EtcdBinaries;
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
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One etcd process started by hand for the benchmark's floors, on one loopback host with etcd's
 * standard ports and etcd's default timing (the operator's default too). Close kills it.
 */
final class PlainEtcd implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    private final String name;
    private final String host;
    private final Path dir;
    private Process process;

    PlainEtcd(String name, String host, Path parent) {
        this.name = name;
        this.host = host;
        this.dir = parent.resolve(name);
    }

    String name() {
        return name;
    }

    String peerUrl() {
        return "http://" + host + ":2380";
    }

    Path dataDir() {
        return dir.resolve("data");
    }

    String clientUrl() {
        return "http://" + host + ":2379";
    }

    /** Starts without waiting; {@code state} is --initial-cluster-state, "new" or "existing". */
    void start(String initialCluster, String state) {
        start(initialCluster, state, List.of());
    }

    /** Starts without waiting, with {@code extra} flags (such as --force-new-cluster). */
    void start(String initialCluster, String state, List<String> extra) {
        List<String> args = new ArrayList<>(List.of(EtcdBinaries.tested().etcd(), "--name=" + name, "--data-dir=" + dir.resolve("data"),
                "--listen-client-urls=" + clientUrl(), "--advertise-client-urls=" + clientUrl(),
                "--listen-peer-urls=" + peerUrl(), "--initial-advertise-peer-urls=" + peerUrl(),
                "--listen-metrics-urls=http://" + host + ":2381",
                "--initial-cluster=" + initialCluster, "--initial-cluster-state=" + state, "--logger=zap", "--log-level=warn"));
        args.addAll(extra);
        try {
            Files.createDirectories(dir);
            ProcessBuilder builder = new ProcessBuilder(args).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("etcd.log").toFile()));
            builder.environment().keySet().removeIf(k -> k.startsWith("ETCD"));
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True when {@code /health} on the client URL says {@code "health":"true"}. */
    boolean healthy() {
        if (process == null || !process.isAlive()) {
            return false;
        }
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(clientUrl() + "/health")).timeout(Duration.ofSeconds(1)).build();
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().contains("\"health\":\"true\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** kill -9 and wipe the data dir: a lost volume. */
    void loseVolume() throws IOException {
        close();
        SandboxNode.deleteTree(dir.resolve("data"));
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

}
