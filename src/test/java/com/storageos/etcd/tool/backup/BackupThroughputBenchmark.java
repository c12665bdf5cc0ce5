package com.storageos.etcd.tool.backup;

import com.storageos.etcd.api.v1alpha1.spec.PvcDestinationSpec;
import com.storageos.etcd.api.v1alpha1.spec.RestoreSpec;
import com.storageos.etcd.etcdclient.ClientTls;
import com.storageos.etcd.etcdclient.EtcdAdmin;
import com.storageos.etcd.etcdclient.JetcdEtcdAdmin;
import com.storageos.etcd.testing.EtcdBinaries;
import com.storageos.etcd.testing.EtcdTestCluster;
import com.storageos.etcd.tool.restore.RestoreBinary;
import com.storageos.etcd.tool.restore.SnapshotRestorer;
import com.storageos.etcd.toolcontract.ToolEnv;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/**
 * Printed, not asserted: the tool's snapshot path (stream once, verifying the trailer on the way)
 * beside {@code etcdctl snapshot save} on the same db, in the same run, with the peak resident memory
 * of each while it streams. Not a *Test, so the default run skips it. Run:
 * {@code ./mvnw -q test -Dtest=BackupThroughputBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Dbench.mib=1024}
 */
class BackupThroughputBenchmark {
    @Test
    void measure() throws Exception {
        long mib = Long.getLong("bench.mib", 1024);
        try (EtcdTestCluster etcd = EtcdTestCluster.start(1, "--quota-backend-bytes=" + 8L * 1024 * 1024 * 1024)) {
            String url = etcd.member(0).clientUrl();
            fill(url, mib);
            Path dir = Files.createTempDirectory("bench-");
            System.out.printf("BENCH JVM resident before the first snapshot: %,d KiB%n", rssKib(ProcessHandle.current().pid()));
            for (int round = 0; round < 3; round++) {
                long t0 = System.nanoTime();
                long bytes;
                long toolPeak;
                try (EtcdAdmin admin = new JetcdEtcdAdmin(List.of(url), Duration.ofSeconds(5), Duration.ofMinutes(30), (ClientTls) null);
                     PeakRss peak = new PeakRss(() -> rssKib(ProcessHandle.current().pid()))) {
                    bytes = new SnapshotTaker(admin).take(List.of(new SnapshotSource("m0", url, true)), dir.resolve("tool.db"), (s, n, d) -> { })
                            .snapshot().size();
                    toolPeak = peak.peak();
                }
                double tool = report("tool (stream+verify)", bytes, System.nanoTime() - t0, toolPeak);
                t0 = System.nanoTime();
                Process p = new ProcessBuilder(EtcdBinaries.tested().etcdctl(), "--endpoints=" + url, "snapshot", "save", dir.resolve("ctl.db").toString())
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                p.getOutputStream().close();
                long ctlPeak;
                try (PeakRss peak = new PeakRss(() -> rssKib(p.pid()))) {
                    p.waitFor(30, TimeUnit.MINUTES);
                    ctlPeak = peak.peak();
                }
                double ctl = report("etcdctl snapshot save", Files.size(dir.resolve("ctl.db")), System.nanoTime() - t0, ctlPeak);
                System.out.printf("BENCH round %d: tool/etcdctl throughput ratio %.2f%n", round, tool / ctl);
                Files.delete(dir.resolve("ctl.db"));
                if (round < 2) {
                    Files.delete(dir.resolve("tool.db"));
                }
            }
            restore(dir);
        }
    }

    /** The bootstrap's restore of the last snapshot, from a backup directory as a PVC destination holds it. */
    private static void restore(Path dir) throws Exception {
        BackupName name = BackupName.of("bench", Instant.now());
        long bytes = Files.size(dir.resolve("tool.db"));
        Files.move(dir.resolve("tool.db"), dir.resolve(name.name()));
        RestoreSpec spec = new RestoreSpec();
        PvcDestinationSpec pvc = new PvcDestinationSpec();
        pvc.setClaimName("backups");
        spec.setPvc(pvc);
        Map<String, String> env = Map.of(ToolEnv.BACKUP_DIR, dir.toString(),
                ToolEnv.NAMESPACE, "ns", ToolEnv.CLUSTER_NAME, "bench");
        long before = rssKib(ProcessHandle.current().pid());
        long t0 = System.nanoTime();
        long peakKib;
        try (PeakRss peak = new PeakRss(() -> rssKib(ProcessHandle.current().pid()))) {
            new SnapshotRestorer(new RestoreBinary("etcdctl")).restore(spec, env, "m0", "http://127.0.0.1:2380", "bench",
                    dir.resolve("restored"));
            peakKib = peak.peak();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("BENCH restore (fetch, verify, etcdctl snapshot restore) of %,d bytes in %.2f s = %.1f MiB/s;"
                + " JVM resident %,d KiB before, peak %,d KiB%n", bytes, seconds, bytes / 1048576.0 / seconds, before, peakKib);
    }

    private static void fill(String url, long mib) throws Exception {
        byte[] value = new byte[64 * 1024];
        new Random(7).nextBytes(value);
        try (Client kv = Client.builder().endpoints(url).build()) {
            List<CompletableFuture<?>> inFlight = new ArrayList<>();
            for (long i = 0; i < mib * 16; i++) {
                inFlight.add(kv.getKVClient().put(ByteSequence.from(("k" + i).getBytes()), ByteSequence.from(value)));
                if (inFlight.size() == 64) {
                    CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
                    inFlight.clear();
                }
            }
            CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        }
    }

    private static double report(String what, long bytes, long nanos, long peakRssKib) {
        double seconds = nanos / 1e9;
        double mibPerSecond = bytes / 1048576.0 / seconds;
        System.out.printf("BENCH %-24s %,d bytes in %.2f s = %.1f MiB/s, peak RSS %,d KiB%n", what, bytes, seconds, mibPerSecond, peakRssKib);
        return mibPerSecond;
    }

    /** VmRSS of a process from /proc, in KiB; 0 once it has exited. */
    private static long rssKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException gone) {
            // exited between samples
        }
        return 0;
    }

    /** Samples a resident size every 50 ms until closed. */
    private static final class PeakRss implements AutoCloseable {
        private final AtomicLong peak = new AtomicLong();
        private final Thread sampler;

        PeakRss(LongSupplier rss) {
            sampler = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    peak.accumulateAndGet(rss.getAsLong(), Math::max);
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            sampler.setDaemon(true);
            sampler.start();
        }

        long peak() {
            return peak.get();
        }

        @Override
        public void close() throws InterruptedException {
            sampler.interrupt();
            sampler.join();
        }
    }
}
