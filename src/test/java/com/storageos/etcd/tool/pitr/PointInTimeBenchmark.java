package com.storageos.etcd.tool.pitr;

import com.storageos.etcd.tool.backup.BackupStore;
import com.storageos.etcd.tool.backup.DirectoryBackupStore;
import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 31's measures, printed: run with {@code ./mvnw test -Dtest=PointInTimeBenchmark} (the suite leaves benchmarks out; this
 * one runs the restore tests it extends first, on the same fixture).
 */
class PointInTimeBenchmark extends PointInTimeRestoreEtcdIT {
    /** The recovery point's age under a steady load, and etcd's write throughput with and without the follower. */
    @Test
    void measuresTheRecoveryPointAndTheThroughputCost() throws Exception {
        BackupStore store = new DirectoryBackupStore(tmp.resolve("backups"), "pitr");
        double without1 = throughput(Duration.ofSeconds(4));
        Followed run = follow(store, Duration.ofSeconds(10));
        double without2 = throughput(Duration.ofSeconds(4));
        List<Long> ages = new ArrayList<>(run.agesMillis());
        Collections.sort(ages);
        System.out.printf("recovery point age under load (%d samples): p50 %d ms, p99 %d ms%n", ages.size(),
                ages.get(ages.size() / 2), ages.get((int) (ages.size() * 0.99)));
        System.out.printf("write throughput: without follower %.0f/s and %.0f/s, with follower %.0f/s%n", without1, without2, run.writesPerSecond());
    }

    /**
     * etcd's write throughput with {@link PipelinedPuts#IN_FLIGHT} puts in flight (etcd saturated) and with one (a
     * sequential writer, as StorageOS's metadata writes mostly are), in alternating rounds without and with
     * the follower (resuming its chain each time), so that the machine's drift falls on both sides alike. Beside it, the
     * CPU each acknowledged put cost etcd and this JVM (the writer, and the follower when it runs): CPU time is not stolen
     * by other work on a shared machine the way wall time is, so those ratios hold where the throughput swings.
     */
    @Test
    void measuresTheFollowersThroughputCostInAlternatingRounds() throws Exception {
        alternatingRounds(PipelinedPuts.IN_FLIGHT);
        alternatingRounds(1);
    }

    private void alternatingRounds(int inFlight) throws Exception {
        BackupStore store = new DirectoryBackupStore(tmp.resolve("backups-" + inFlight), "pitr");
        follow(store, Duration.ofSeconds(1));
        for (int warmUp = 0; warmUp < 3; warmUp++) {
            round(inFlight); // the JIT compiles the writer and the client here, measured in neither column
        }
        List<Double> ratios = new ArrayList<>();
        List<Double> etcdCpu = new ArrayList<>();
        List<Double> agentCpu = new ArrayList<>();
        for (int round = 0; round < 6; round++) {
            Round without = round(inFlight);
            ChangeFollower follower = new ChangeFollower(store, "pitr", admin, etcd.clientUrls(), null, Clock.systemUTC(),
                    Duration.ofSeconds(1), line -> { });
            Thread following = FollowerThread.start(follower, System.out::println);
            while (follower.recoveryPoint().isEmpty()) {
                Thread.sleep(20);
            }
            Round with = round(inFlight);
            follower.stop();
            following.join();
            ratios.add(with.putsPerSecond() / without.putsPerSecond());
            etcdCpu.add(with.etcdMicrosPerPut() / without.etcdMicrosPerPut());
            agentCpu.add((with.jvmMicrosPerPut() - without.jvmMicrosPerPut()) / without.etcdMicrosPerPut());
            System.out.printf("round %d: without the follower %s; with it %s (x%.3f)%n", round + 1, without, with, ratios.get(round));
        }
        System.out.printf("%d put(s) in flight:%n", inFlight);
        System.out.printf("write throughput with the follower against without: median x%.3f, range x%.3f..x%.3f over %d rounds%n",
                median(ratios), Collections.min(ratios), Collections.max(ratios), ratios.size());
        System.out.printf("etcd's CPU per put with the watch against without: median x%.3f, range x%.3f..x%.3f%n",
                median(etcdCpu), Collections.min(etcdCpu), Collections.max(etcdCpu));
        System.out.printf("the follower's CPU per change, as a share of etcd's CPU per put: median %.0f %%, range %.0f..%.0f %%%n",
                100 * median(agentCpu), 100 * Collections.min(agentCpu), 100 * Collections.max(agentCpu));
    }

    /** One three-second round of puts, with the CPU etcd and this JVM spent on it. */
    private Round round(int inFlight) throws Exception {
        double etcdBefore = etcdCpuSeconds();
        double jvmBefore = jvmCpuSeconds();
        long start = System.nanoTime();
        double rate = PipelinedPuts.rate(client, Duration.ofSeconds(3), inFlight);
        double puts = rate * (System.nanoTime() - start) / 1e9;
        return new Round(rate, (etcdCpuSeconds() - etcdBefore) * 1e6 / puts, (jvmCpuSeconds() - jvmBefore) * 1e6 / puts);
    }

    /** etcd's own count of the CPU it used, from its metrics. */
    private double etcdCpuSeconds() throws IOException, InterruptedException {
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(etcd.clientUrls().get(0) + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return metrics.lines().filter(l -> l.startsWith("process_cpu_seconds_total "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1))).findFirst().orElseThrow();
    }

    private static double jvmCpuSeconds() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return (sorted.get((sorted.size() - 1) / 2) + sorted.get(sorted.size() / 2)) / 2;
    }

    private record Round(double putsPerSecond, double etcdMicrosPerPut, double jvmMicrosPerPut) {
        @Override
        public String toString() {
            return String.format("%.0f puts/s, etcd %.1f µs and this JVM %.1f µs of CPU a put", putsPerSecond, etcdMicrosPerPut, jvmMicrosPerPut);
        }
    }
}
