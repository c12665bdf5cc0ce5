package com.storageos.etcd.sandbox.node;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * The process of one StorageOS node pod of the stand-in (see {@link StorageOSStandIn}), as a StorageOS node uses etcd: it reads
 * ETCD_ENDPOINTS once, when it starts (the real node gets it from the ConfigMap storageos-node-config through envFrom), and
 * from then on writes and reads back a key every 100 ms through those endpoints only, whatever the StorageOSCluster says later.
 * Every failure is appended to its report's failure log; the report ({@link StorageOSNodeReport}) says how long it went without a
 * working endpoint. Each acknowledged key is appended to its list, so that a test can read every one back.
 */
public final class StorageOSNodeProcess {
    static final String REPORT_DIR = "STANDIN_REPORT_DIR";
    private static final Duration OP_TIMEOUT = Duration.ofSeconds(2);

    private StorageOSNodeProcess() {
    }

    public static void main(String[] args) throws Exception {
        String endpoints = System.getenv("ETCD_ENDPOINTS");
        String node = System.getenv("NODE_NAME");
        String uid = System.getenv("POD_UID");
        StorageOSNodeReport report = new StorageOSNodeReport(node, uid, endpoints, Instant.now());
        Path dir = Files.createDirectories(Path.of(System.getenv(REPORT_DIR)));
        Path file = dir.resolve(node + "_" + uid + StorageOSNodeReport.SUFFIX);
        Path acked = dir.resolve(node + "_" + uid + ".acked");
        Path failures = dir.resolve(node + "_" + uid + ".failures");
        Files.createFile(acked);
        Thread main = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            main.interrupt();
            report.write(file);
        }));
        String[] urls = Arrays.stream(endpoints.split(",")).map(String::trim).map(e -> e.contains("://") ? e : "http://" + e)
                .toArray(String[]::new);
        try (Client client = Client.builder().endpoints(urls).build()) {
            for (long seq = 0; !Thread.currentThread().isInterrupted(); seq++) {
                String key = "storageos/" + node + "/" + uid + "/" + seq;
                ByteSequence k = ByteSequence.from(key, StandardCharsets.UTF_8);
                try {
                    client.getKVClient().put(k, k).get(OP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    Files.writeString(acked, key + "\n", StandardOpenOption.APPEND);
                    if (client.getKVClient().get(k).get(OP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).getKvs().isEmpty()) {
                        throw new IllegalStateException("the key just written reads back empty");
                    }
                    report.succeeded(Instant.now());
                } catch (InterruptedException e) {
                    break;
                } catch (Exception e) {
                    report.failed(Instant.now());
                    Files.writeString(failures, Instant.now() + " " + key + ": " + e + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                }
                if (seq % 5 == 0) {
                    report.write(file);
                }
                Thread.sleep(100);
            }
        }
    }
}
