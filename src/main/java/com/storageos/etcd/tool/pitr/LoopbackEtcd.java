package com.storageos.etcd.tool.pitr;

import com.storageos.etcd.etcdclient.EtcdAdminException;
import com.storageos.etcd.etcdclient.RevisionWriter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A restored data dir opened by etcd itself, listening on loopback only, for the replay: no client outside the
 * container reaches it, and the member's real etcd starts only after it stopped. The restored WAL already names this
 * one member, so etcd starts on it as on any existing data dir; the peer listener is bound but never used.
 */
final class LoopbackEtcd implements AutoCloseable {
    private static final Duration READY = Duration.ofSeconds(60);

    private final Process process;
    private final String clientUrl;
    private final Path dataDir;

    private LoopbackEtcd(Process process, String clientUrl, Path dataDir) {
        this.process = process;
        this.clientUrl = clientUrl;
        this.dataDir = dataDir;
    }

    /**
     * Starts etcd on {@code dataDir} and waits until it answers, its output going to {@code log}. Without fsync: the
     * replay's writes are one transaction per revision in order, and fsync per write bounded it (357 against 1,230-1,534
     * revisions a second, PointInTimeRestoreTimeBenchmark); {@link #close()} makes the data durable once, at the end.
     */
    static LoopbackEtcd start(String etcd, Path dataDir, String memberName, Path log) throws IOException, InterruptedException {
        String client = "http://127.0.0.1:" + freePort();
        Process p = new ProcessBuilder(etcd, "--name=" + memberName, "--data-dir=" + dataDir,
                "--listen-client-urls=" + client, "--advertise-client-urls=" + client,
                "--listen-peer-urls=http://127.0.0.1:" + freePort(), "--unsafe-no-fsync")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        LoopbackEtcd started = new LoopbackEtcd(p, client, dataDir);
        long deadline = System.nanoTime() + READY.toNanos();
        try (RevisionWriter probe = new RevisionWriter(client, null, Duration.ofSeconds(2))) {
            while (true) {
                try {
                    probe.revision();
                    return started;
                } catch (EtcdAdminException e) {
                    if (!p.isAlive() || System.nanoTime() > deadline) {
                        started.close();
                        throw new IOException("etcd on the restored data did not start (see " + log + "): " + e.getMessage());
                    }
                    Thread.sleep(100);
                }
            }
        }
    }

    String clientUrl() {
        return clientUrl;
    }

    /**
     * SIGTERM, so etcd closes its WAL and backend cleanly; then every file and directory it wrote is synced, deepest
     * first, since it ran without fsync: the data dir is renamed into place only after this.
     */
    @Override
    public void close() throws InterruptedException, IOException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        List<Path> written;
        try (Stream<Path> paths = Files.walk(dataDir)) {
            written = paths.sorted(Comparator.comparingInt(Path::getNameCount).reversed()).toList();
        }
        for (Path p : written) {
            try (FileChannel channel = FileChannel.open(p, StandardOpenOption.READ)) {
                channel.force(true);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
