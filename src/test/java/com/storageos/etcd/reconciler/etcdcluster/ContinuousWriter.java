package com.storageos.etcd.reconciler.etcdcluster;

import com.storageos.etcd.etcdclient.ClientTls;
import com.storageos.etcd.testing.JetcdTls;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Puts sequence numbers as fast as etcd acknowledges them, remembering every acknowledged key and the longest outage. */
public final class ContinuousWriter implements AutoCloseable {
    private final List<String> endpoints;
    private final Supplier<ClientTls> tlsSource;
    private volatile ClientTls tls;
    private volatile Client client;
    private final List<String> acknowledged = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long longestOutageMillis;
    private volatile int reconnects;

    public ContinuousWriter(List<String> endpoints) {
        this(endpoints, (ClientTls) null);
    }

    /** @param tls the client certificate for https endpoints */
    public ContinuousWriter(List<String> endpoints, ClientTls tls) {
        this(endpoints, () -> tls);
    }

    /**
     * A client that follows its certificate, as StorageOS must through a CA rotation: after a failed put it reads
     * {@code tls} again and reconnects when it changed.
     */
    public ContinuousWriter(List<String> endpoints, Supplier<ClientTls> tls) {
        this.endpoints = List.copyOf(endpoints);
        this.tlsSource = tls;
        this.tls = tls.get();
        this.client = connect(this.tls);
        this.thread = new Thread(this::loop, "continuous-writer");
        thread.setDaemon(true);
        thread.start();
    }

    private Client connect(ClientTls with) {
        ClientBuilder builder = Client.builder().endpoints(endpoints.stream().map(URI::create).toArray(URI[]::new));
        if (with != null) {
            JetcdTls.configure(builder, with);
        }
        return builder.build();
    }

    private void reloadCertificate() {
        ClientTls now = tlsSource.get();
        if (now != null && !now.equals(tls)) {
            Client old = client;
            tls = now;
            client = connect(now);
            old.close();
            reconnects++;
        }
    }

    /** How often the client certificate changed under the writer. */
    public int reconnects() {
        return reconnects;
    }

    private void loop() {
        long lastSuccess = System.nanoTime();
        for (long seq = 0; running; seq++) {
            String key = "writer/" + seq;
            try {
                client.getKVClient().put(bytes(key), bytes(Long.toString(seq))).get(1, TimeUnit.SECONDS);
                acknowledged.add(key);
                lastSuccess = System.nanoTime();
                Thread.sleep(20);
            } catch (Exception e) {
                longestOutageMillis = Math.max(longestOutageMillis, Duration.ofNanos(System.nanoTime() - lastSuccess).toMillis());
                if (e instanceof InterruptedException) {
                    return;
                }
                try {
                    reloadCertificate();
                } catch (RuntimeException unreadable) {
                    // tried again after the next failure
                }
            }
        }
    }

    public List<String> acknowledged() {
        return List.copyOf(acknowledged);
    }

    public long longestOutageMillis() {
        return longestOutageMillis;
    }

    /** Starts a new measure of the longest outage, for one stage of a test. */
    public void resetLongestOutage() {
        longestOutageMillis = 0;
    }

    /** Puts {@code count} keys before a test's fault or migration begins; returns them, every one acknowledged. */
    public static List<String> writeKeys(List<String> endpoints, int count) throws Exception {
        return writeKeys(endpoints, null, count);
    }

    /** @param tls the client certificate for https endpoints */
    public static List<String> writeKeys(List<String> endpoints, ClientTls tls, int count) throws Exception {
        List<String> keys = new ArrayList<>();
        ClientBuilder builder = Client.builder().endpoints(endpoints.stream().map(URI::create).toArray(URI[]::new));
        try (Client c = (tls == null ? builder : JetcdTls.configure(builder, tls)).build()) {
            for (int i = 0; i < count; i++) {
                String key = "/storageos/before/" + i;
                c.getKVClient().put(bytes(key), bytes("v" + i)).get(5, TimeUnit.SECONDS);
                keys.add(key);
            }
        }
        return keys;
    }

    public static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(3000);
        client.close();
    }
}
