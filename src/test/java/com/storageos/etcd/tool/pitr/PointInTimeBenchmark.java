package com.storageos.etcd.tool.pitr;

import com.storageos.etcd.tool.backup.BackupStore;
import com.storageos.etcd.tool.backup.DirectoryBackupStore;
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
     * etcd's write throughput with {@link PipelinedPuts#IN_FLIGHT} puts in flight, in alternating rounds without and with
     * the follower (resuming its chain each time), so that the machine's drift falls on both sides alike.
     */
    @Test
    void measuresTheFollowersThroughputCostInAlternatingRounds() throws Exception {
        BackupStore store = new DirectoryBackupStore(tmp.resolve("backups"), "pitr");
        follow(store, Duration.ofSeconds(1));
        List<Double> ratios = new ArrayList<>();
        for (int round = 0; round < 6; round++) {
            double without = PipelinedPuts.rate(client, Duration.ofSeconds(3));
            ChangeFollower follower = new ChangeFollower(store, "pitr", admin, etcd.clientUrls(), null, Clock.systemUTC(),
                    Duration.ofSeconds(1), line -> { });
            Thread following = new Thread(() -> {
                try {
                    follower.run();
                } catch (Exception e) {
                    System.out.println("follower failed: " + e);
                }
            });
            following.start();
            while (follower.recoveryPoint().isEmpty()) {
                Thread.sleep(20);
            }
            double with = PipelinedPuts.rate(client, Duration.ofSeconds(3));
            follower.stop();
            following.join();
            ratios.add(with / without);
            System.out.printf("round %d: %.0f puts/s without the follower, %.0f/s with it (x%.3f)%n", round + 1, without, with, with / without);
        }
        Collections.sort(ratios);
        System.out.printf("write throughput with the follower against without: median x%.3f, range x%.3f..x%.3f over %d rounds%n",
                (ratios.get(2) + ratios.get(3)) / 2, ratios.get(0), ratios.get(ratios.size() - 1), ratios.size());
    }

}
