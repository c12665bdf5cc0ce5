package com.storageos.etcd.sandbox.bench;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Puts a key every ~20 ms through all client URLs, each put with a 1 s deadline, and tracks the longest outage. */
final class BackgroundWriter implements AutoCloseable {
    private final Client client;
    private final OutageTracker outages = new OutageTracker();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long firstSuccessNanos;

    BackgroundWriter(List<String> clientUrls) {
        client = Client.builder().endpoints(clientUrls.stream().map(URI::create).toArray(URI[]::new)).build();
        thread = new Thread(this::loop, "bench-writer");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        for (long seq = 0; running; seq++) {
            ByteSequence key = ByteSequence.from("bench/" + (seq % 1000), StandardCharsets.UTF_8);
            try {
                client.getKVClient().put(key, ByteSequence.from(Long.toString(seq), StandardCharsets.UTF_8)).get(1, TimeUnit.SECONDS);
                long now = System.nanoTime();
                outages.success(now);
                if (firstSuccessNanos == 0) {
                    firstSuccessNanos = now;
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                // An outage: the tracker measures it from the last success.
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The longest gap between successful puts so far, in ms. */
    long longestOutageMillis() {
        return outages.longestMillis(System.nanoTime());
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(3000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        client.close();
    }

    /** When the first put was acknowledged, if one was. */
    Optional<Long> firstSuccessNanos() {
        return firstSuccessNanos == 0 ? Optional.empty() : Optional.of(firstSuccessNanos);
    }
}
