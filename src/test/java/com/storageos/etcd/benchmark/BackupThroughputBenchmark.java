package com.storageos.etcd.benchmark;

import com.storageos.etcd.etcd.EtcdAdmin;
import com.storageos.etcd.etcd.JetcdEtcdAdmin;
import com.storageos.etcd.testing.EtcdTestCluster;
import com.storageos.etcd.tool.backup.VerifiedSnapshot;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Printed, not asserted: the tool's snapshot path (stream + trailer verification) beside
 * {@code etcdctl snapshot save} on the same db. Not a *Test, so the default run skips it. Run:
 * {@code ./mvnw -q -o test -Dtest=BackupThroughputBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Dbench.mib=1024}
 */
class BackupThroughputBenchmark {
    @org.junit.jupiter.api.Test
    void measure() throws Exception {
        long mib = Long.getLong("bench.mib", 1024);
        try (EtcdTestCluster etcd = EtcdTestCluster.start(1, "--quota-backend-bytes=" + 8L * 1024 * 1024 * 1024)) {
            String url = etcd.member(0).clientUrl();
            fill(url, mib);
            Path dir = Files.createTempDirectory("bench-");
            for (int round = 0; round < 2; round++) {
                long t0 = System.nanoTime();
                long bytes;
                try (EtcdAdmin admin = new JetcdEtcdAdmin(List.of(url), Duration.ofSeconds(5), Duration.ofMinutes(30), null);
                     OutputStream out = new BufferedOutputStream(Files.newOutputStream(dir.resolve("tool.db")), 1 << 20)) {
                    bytes = admin.snapshot(url, out);
                }
                VerifiedSnapshot.verify(dir.resolve("tool.db"));
                report("tool (stream+verify)", bytes, System.nanoTime() - t0);
                t0 = System.nanoTime();
                Process p = new ProcessBuilder("etcdctl", "--endpoints=" + url, "snapshot", "save", dir.resolve("ctl.db").toString())
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                p.getOutputStream().close();
                p.waitFor(30, TimeUnit.MINUTES);
                report("etcdctl snapshot save", Files.size(dir.resolve("ctl.db")), System.nanoTime() - t0);
                Files.delete(dir.resolve("ctl.db"));
                Files.delete(dir.resolve("tool.db"));
            }
        }
    }

    private static void fill(String url, long mib) throws Exception {
        byte[] value = new byte[64 * 1024];
        new java.util.Random(7).nextBytes(value);
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

    private static void report(String what, long bytes, long nanos) {
        double seconds = nanos / 1e9;
        System.out.printf("BENCH %-24s %,d bytes in %.2f s = %.1f MiB/s%n", what, bytes, seconds, bytes / 1048576.0 / seconds);
    }
}
