package com.storageos.etcd.tool.pitr;

import com.storageos.etcd.tool.backup.BackupStore;
import com.storageos.etcd.tool.backup.DirectoryBackupStore;
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

}
