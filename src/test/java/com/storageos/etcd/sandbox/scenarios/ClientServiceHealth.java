package com.storageos.etcd.sandbox.scenarios;

import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.naming.Labels;
import com.storageos.etcd.naming.MemberAddressing;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A client of the client Service, as kube-proxy would route it: every 500 ms one GET /health on the pod
 * IP of a random member pod that is Ready and not terminating, the pods the endpoints controller puts
 * behind the Service (the API server refuses the sandbox's loopback pod IPs in Endpoints, so the pods are
 * read directly). Counts the most failed probes in a row; a probe fails when no pod is ready.
 */
final class ClientServiceHealth implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(300)).build();
    private final KubernetesClient client;
    private final ClusterNames names;
    private final Thread thread;
    private volatile boolean running = true;
    private int failedInARow;
    private int maxFailedInARow;
    private int samples;
    private long lastSuccessNanos = System.nanoTime();
    private long longestOutageNanos;

    ClientServiceHealth(KubernetesClient client, ClusterNames names) {
        this.client = client;
        this.names = names;
        this.thread = new Thread(this::loop, "client-service-health");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (running) {
            long t = System.nanoTime();
            record(probe());
            try {
                Thread.sleep(Math.max(0, 500 - Duration.ofNanos(System.nanoTime() - t).toMillis()));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void record(boolean ok) {
        samples++;
        long now = System.nanoTime();
        if (ok) {
            failedInARow = 0;
            lastSuccessNanos = now;
        } else {
            maxFailedInARow = Math.max(maxFailedInARow, ++failedInARow);
            longestOutageNanos = Math.max(longestOutageNanos, now - lastSuccessNanos);
        }
    }

    private boolean probe() {
        try {
            List<String> ready = client.pods().inNamespace(names.namespace()).withLabels(Labels.memberSelector(names.cluster())).list()
                    .getItems().stream().filter(ClientServiceHealth::behindTheService).map(p -> p.getStatus().getPodIP()).toList();
            if (ready.isEmpty()) {
                return false;
            }
            String ip = ready.get(ThreadLocalRandom.current().nextInt(ready.size()));
            var request = HttpRequest.newBuilder(URI.create("http://" + ip + ":" + MemberAddressing.CLIENT_PORT + "/health"))
                    .timeout(Duration.ofSeconds(1)).build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    private static boolean behindTheService(Pod p) {
        return p.getMetadata().getDeletionTimestamp() == null && p.getStatus() != null && p.getStatus().getPodIP() != null
                && Optional.ofNullable(p.getStatus().getConditions()).orElse(List.of()).stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** Forgets what was seen so far: the next rollout starts from here. */
    synchronized void reset() {
        failedInARow = 0;
        maxFailedInARow = 0;
        longestOutageNanos = 0;
        samples = 0;
    }

    synchronized int maxFailedInARow() {
        return maxFailedInARow;
    }

    synchronized long longestOutageMillis() {
        return Duration.ofNanos(longestOutageNanos).toMillis();
    }

    synchronized int samples() {
        return samples;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(3000);
    }
}
