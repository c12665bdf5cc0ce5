package com.storageos.etcd.tool.defrag;

import com.storageos.etcd.etcdclient.ClientTls;
import com.storageos.etcd.etcdclient.EtcdAdmin;
import com.storageos.etcd.etcdclient.JetcdEtcdAdmin;
import com.storageos.etcd.testing.EtcdTestCluster;
import com.storageos.etcd.testing.FreshPorts;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.DeleteOption;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Printed, not asserted: how long etcd takes to defragment a member of {@code bench.mib} MiB (1 MiB values, then
 * every other key deleted and the revision compacted, so that half the db is free), and what each probe path of the
 * metrics listener answers meanwhile, asked once a second with the member pods' 3 s probe timeout. A second defrag
 * of the same member, with nothing left to reclaim, gives the cost of copying the live half alone. Not a *Test, so
 * the default run skips it. Run:
 * {@code ./mvnw -q test -Dtest=DefragDurationBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Dbench.mib=1024}
 */
class DefragDurationBenchmark {
    static final List<String> PATHS = List.of("/health?exclude=NOSPACE&exclude=CORRUPT&serializable=true", "/livez",
            "/health?exclude=NOSPACE", "/readyz", "/metrics");
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    @Test
    void measure() throws Exception {
        long mib = Long.getLong("bench.mib", 1024);
        int metricsPort = FreshPorts.take();
        try (EtcdTestCluster etcd = EtcdTestCluster.start(1, "--quota-backend-bytes=" + 8L * 1024 * 1024 * 1024,
                "--listen-metrics-urls=http://127.0.0.1:" + metricsPort)) {
            String url = etcd.member(0).clientUrl();
            long t0 = System.nanoTime();
            fillHalfFree(url, mib);
            System.out.printf("BENCH filled %d MiB, deleted every other key and compacted in %.1f s%n", mib, (System.nanoTime() - t0) / 1e9);
            try (EtcdAdmin admin = new JetcdEtcdAdmin(List.of(url), Duration.ofSeconds(5), Duration.ofMinutes(30), (ClientTls) null)) {
                for (String round : List.of("half free", "nothing to reclaim")) {
                    defragWhileProbing(admin, url, "http://127.0.0.1:" + metricsPort, round);
                }
            }
        }
    }

    private static void defragWhileProbing(EtcdAdmin admin, String url, String metrics, String round) throws Exception {
        long before = admin.status(url).dbSize();
        long inUse = admin.status(url).dbSizeInUse();
        List<PathRecord> records = PATHS.stream().map(PathRecord::new).toList();
        AtomicBoolean defragging = new AtomicBoolean(true);
        ExecutorService probers = Executors.newFixedThreadPool(PATHS.size());
        long start = System.nanoTime();
        records.forEach(r -> probers.execute(() -> r.probeEverySecond(metrics, defragging)));
        admin.defragment(url);
        double seconds = (System.nanoTime() - start) / 1e9;
        defragging.set(false);
        probers.shutdown();
        probers.awaitTermination(10, TimeUnit.SECONDS);
        long after = admin.status(url).dbSize();
        System.out.printf("BENCH defrag (%s): db %,d bytes (%,d in use) -> %,d bytes in %.1f s = %.1f MiB/s of db%n",
                round, before, inUse, after, seconds, before / 1048576.0 / seconds);
        records.forEach(r -> System.out.println("BENCH   " + r.summary()));
    }

    /** 1 MiB values up to {@code mib}, then every other key deleted and the revision compacted. */
    private static void fillHalfFree(String url, long mib) throws Exception {
        byte[] value = new byte[1024 * 1024];
        new Random(7).nextBytes(value);
        try (Client kv = Client.builder().endpoints(url).maxInboundMessageSize(16 * 1024 * 1024).build()) {
            List<CompletableFuture<?>> inFlight = new ArrayList<>();
            for (long i = 0; i < mib; i++) {
                inFlight.add(kv.getKVClient().put(bytes(String.format("k/%06d", i)), ByteSequence.from(value)));
                if (inFlight.size() == 8) {
                    CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
                    inFlight.clear();
                }
            }
            CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            long revision = 0;
            for (long i = 0; i < mib; i += 2) {
                revision = kv.getKVClient().delete(bytes(String.format("k/%06d", i)), DeleteOption.DEFAULT).get(10, TimeUnit.SECONDS)
                        .getHeader().getRevision();
            }
            kv.getKVClient().compact(revision).get(120, TimeUnit.SECONDS);
        }
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s.getBytes());
    }

    /** One probe path asked once a second while the defrag runs: what it answered, and its longest run of failures. */
    private static final class PathRecord {
        final String path;
        int ok;
        int failed;
        double longestFailingSeconds;
        double slowestMillis;
        private long failingSince = -1;

        PathRecord(String path) {
            this.path = path;
        }

        void probeEverySecond(String metrics, AtomicBoolean defragging) {
            while (defragging.get()) {
                long asked = System.nanoTime();
                boolean passed = get(metrics + path);
                long answered = System.nanoTime();
                slowestMillis = Math.max(slowestMillis, (answered - asked) / 1e6);
                if (passed) {
                    ok++;
                    failingSince = -1;
                } else {
                    failed++;
                    failingSince = failingSince < 0 ? asked : failingSince;
                    longestFailingSeconds = Math.max(longestFailingSeconds, (answered - failingSince) / 1e9);
                }
                long next = asked + TimeUnit.SECONDS.toNanos(1);
                LockSupport.parkNanos(next - System.nanoTime());
            }
        }

        String summary() {
            return String.format("%-60s %3d passed, %3d failed or timed out (3 s), longest failing stretch %.1f s, slowest answer %.0f ms",
                    path, ok, failed, longestFailingSeconds, slowestMillis);
        }

        private static boolean get(String url) {
            try {
                int code = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                return code == 200;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
