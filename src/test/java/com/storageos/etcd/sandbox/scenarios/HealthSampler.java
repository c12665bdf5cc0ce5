package com.storageos.etcd.sandbox.scenarios;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/** Every 500 ms asks each member's /health (which needs a leader); the cluster is available when any says yes. */
final class HealthSampler implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(300)).build();
    private final List<String> healthUrls;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long longestOutageMillis;
    private volatile int samples;

    HealthSampler(List<String> healthUrls) {
        this.healthUrls = healthUrls;
        this.thread = new Thread(this::loop, "health-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        long lastAvailable = System.nanoTime();
        while (running) {
            long t = System.nanoTime();
            if (healthUrls.stream().anyMatch(HealthSampler::healthy)) {
                lastAvailable = System.nanoTime();
            } else {
                longestOutageMillis = Math.max(longestOutageMillis, Duration.ofNanos(System.nanoTime() - lastAvailable).toMillis());
            }
            samples++;
            try {
                Thread.sleep(Math.max(0, 500 - Duration.ofNanos(System.nanoTime() - t).toMillis()));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static boolean healthy(String url) {
        try {
            var request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMillis(400)).build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    long longestOutageMillis() {
        return longestOutageMillis;
    }

    int samples() {
        return samples;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(2000);
    }
}
