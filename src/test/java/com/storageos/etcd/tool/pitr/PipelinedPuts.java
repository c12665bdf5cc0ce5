package com.storageos.etcd.tool.pitr;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/** A writer that keeps a fixed number of puts in flight, for the benchmarks' bulk loads and throughput figures. */
final class PipelinedPuts {
    static final int IN_FLIGHT = 32;

    private PipelinedPuts() {
    }

    /** Puts {@code count} keys; returns the last revision acknowledged. */
    static long put(Client client, int count, IntFunction<String> key, ByteSequence value) throws Exception {
        return put(client, count, IN_FLIGHT, key, value);
    }

    private static long put(Client client, int count, int inFlight, IntFunction<String> key, ByteSequence value) throws Exception {
        List<CompletableFuture<Long>> flight = new ArrayList<>();
        long last = 0;
        for (int i = 0; i < count; i++) {
            flight.add(client.getKVClient().put(Workload.bytes(key.apply(i)), value).thenApply(r -> r.getHeader().getRevision()));
            if (flight.size() == inFlight || i == count - 1) {
                for (CompletableFuture<Long> f : flight) {
                    last = Math.max(last, f.get(60, TimeUnit.SECONDS));
                }
                flight.clear();
            }
        }
        return last;
    }

    /** Puts acknowledged per second over {@code load}, in batches of {@code inFlight}. */
    static double rate(Client client, Duration load, int inFlight) throws Exception {
        ByteSequence value = ByteSequence.from(new byte[100]);
        long start = System.nanoTime();
        long end = start + load.toNanos();
        long puts = 0;
        while (System.nanoTime() < end) {
            put(client, inFlight, inFlight, i -> "rate/" + i, value);
            puts += inFlight;
        }
        return puts / ((System.nanoTime() - start) / 1e9);
    }
}
