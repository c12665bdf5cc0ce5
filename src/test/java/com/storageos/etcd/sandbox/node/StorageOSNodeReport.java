package com.storageos.etcd.sandbox.node;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * What one StorageOS node process (one pod incarnation) saw of etcd: the endpoints it read at start, when it first worked, its
 * failures and the longest time it went without a working endpoint after it first worked (its own start is its restart, not an
 * outage). Written by {@link StorageOSNodeProcess}, read by the tests.
 */
public final class StorageOSNodeReport {
    static final String SUFFIX = ".report";
    public final String node;
    public final String podUid;
    public final String endpoints;
    public final Instant started;
    private Instant firstOk;
    private Instant lastOk;
    private Instant failingSince;
    private long failures;
    private long longestOutageMillis;
    private Instant written;

    StorageOSNodeReport(String node, String podUid, String endpoints, Instant started) {
        this.node = node;
        this.podUid = podUid;
        this.endpoints = endpoints;
        this.started = started;
    }

    synchronized void succeeded(Instant at) {
        if (firstOk == null) {
            firstOk = at;
        } else if (failingSince != null) {
            longestOutageMillis = Math.max(longestOutageMillis, Duration.between(lastOk, at).toMillis());
        }
        lastOk = at;
        failingSince = null;
    }

    synchronized void failed(Instant at) {
        failures++;
        if (failingSince == null) {
            failingSince = at;
        }
    }

    /** The longest time without a working endpoint once it had worked, an outage still going on counted up to the last write. */
    public synchronized long longestOutageMillis() {
        return longestOutageMillis;
    }

    /** When the process last wrote this report: every 500 ms while it runs, and when it stops. */
    public synchronized Instant written() {
        return written;
    }

    /** It worked at its last write. */
    public synchronized boolean working() {
        return lastOk != null && failingSince == null;
    }

    public synchronized long failures() {
        return failures;
    }

    public synchronized Instant firstOk() {
        return firstOk;
    }

    synchronized Instant lastOk() {
        return lastOk;
    }

    /** Atomically, so that a reader never sees half a report. */
    synchronized void write(Path file) {
        written = Instant.now();
        if (failingSince != null && lastOk != null) {
            longestOutageMillis = Math.max(longestOutageMillis, Duration.between(lastOk, written).toMillis());
        }
        Properties p = new Properties();
        p.setProperty("node", node);
        p.setProperty("podUid", podUid);
        p.setProperty("endpoints", endpoints);
        p.setProperty("started", started.toString());
        p.setProperty("failures", Long.toString(failures));
        p.setProperty("longestOutageMillis", Long.toString(longestOutageMillis));
        set(p, "firstOk", firstOk);
        set(p, "lastOk", lastOk);
        set(p, "failingSince", failingSince);
        set(p, "written", written);
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (Writer w = Files.newBufferedWriter(tmp)) {
                p.store(w, null);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            System.err.println("storageos node: report: " + e);
        }
    }

    private static void set(Properties p, String key, Instant value) {
        if (value != null) {
            p.setProperty(key, value.toString());
        }
    }

    /** Every node process's last report in {@code dir}, oldest start first. */
    static List<StorageOSNodeReport> readAll(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).map(StorageOSNodeReport::read)
                    .sorted(Comparator.comparing(r -> r.started)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static StorageOSNodeReport read(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StorageOSNodeReport report = new StorageOSNodeReport(p.getProperty("node"), p.getProperty("podUid"), p.getProperty("endpoints"),
                Instant.parse(p.getProperty("started")));
        report.failures = Long.parseLong(p.getProperty("failures"));
        report.longestOutageMillis = Long.parseLong(p.getProperty("longestOutageMillis"));
        report.firstOk = instant(p, "firstOk");
        report.lastOk = instant(p, "lastOk");
        report.failingSince = instant(p, "failingSince");
        report.written = instant(p, "written");
        return report;
    }

    private static Instant instant(Properties p, String key) {
        return p.getProperty(key) == null ? null : Instant.parse(p.getProperty(key));
    }

    /** The keys it wrote and etcd acknowledged. */
    public static List<String> acknowledged(Path dir, StorageOSNodeReport report) {
        try {
            return Files.readAllLines(dir.resolve(report.node + "_" + report.podUid + ".acked"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
