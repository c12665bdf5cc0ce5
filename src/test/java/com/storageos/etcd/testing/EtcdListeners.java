package com.storageos.etcd.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Where one test etcd member listens and keeps its files ({@link EtcdProcess}), and the command line that says so: loopback
 * client, peer and metrics ports, mutual TLS on both listeners (or on the client one alone) when {@code tlsDir} is given,
 * short heartbeats and elections so that tests move quickly.
 */
record EtcdListeners(String name, int clientPort, int peerPort, int metricsPort, Path dir, Path tlsDir, boolean peerTls) {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    String clientUrl() {
        return (tlsDir == null ? "http" : "https") + "://127.0.0.1:" + clientPort;
    }

    String peerUrl() {
        return (peerTls ? "https" : "http") + "://127.0.0.1:" + peerPort;
    }

    /** With TLS, health is read from the plain metrics listener, as the member pods' probes do. */
    String healthUrl() {
        return (tlsDir == null ? clientUrl() : "http://127.0.0.1:" + metricsPort) + "/health";
    }

    Path dataDir() {
        return dir.resolve("data");
    }

    Path logFile() {
        return dir.resolve("etcd.log");
    }

    /** The command line of {@code etcd}; {@code state} is etcd's --initial-cluster-state, "new" or "existing". */
    List<String> command(String etcd, String initialCluster, String state, String... extraFlags) {
        List<String> args = new ArrayList<>(List.of(etcd,
                "--name=" + name, "--data-dir=" + dataDir(),
                "--listen-client-urls=" + clientUrl(), "--advertise-client-urls=" + clientUrl(),
                "--listen-peer-urls=" + peerUrl(), "--initial-advertise-peer-urls=" + peerUrl(),
                "--initial-cluster=" + initialCluster, "--initial-cluster-state=" + state,
                "--heartbeat-interval=50", "--election-timeout=500",
                "--logger=zap", "--log-level=warn"));
        if (tlsDir != null) {
            args.addAll(List.of("--client-cert-auth", "--trusted-ca-file=" + tlsDir.resolve("ca.crt"),
                    "--cert-file=" + tlsDir.resolve("server.crt"), "--key-file=" + tlsDir.resolve("server.key"),
                    "--listen-metrics-urls=http://127.0.0.1:" + metricsPort));
        }
        if (peerTls) {
            args.addAll(List.of("--peer-client-cert-auth", "--peer-trusted-ca-file=" + tlsDir.resolve("ca.crt"),
                    "--peer-cert-file=" + tlsDir.resolve("peer.crt"), "--peer-key-file=" + tlsDir.resolve("peer.key")));
        }
        args.addAll(List.of(extraFlags));
        return args;
    }

    /** Whether {@code /health} answers {@code "health":"true"} now. */
    boolean healthy() {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(healthUrl())).timeout(Duration.ofSeconds(2)).build();
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().contains("\"health\":\"true\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
