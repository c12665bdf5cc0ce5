package com.storageos.etcd.tool.backup;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Backups are named {@code <cluster>-<yyyyMMdd'T'HHmmss'Z'>.snapshot.db}: they sort by time, and
 * retention only ever touches names of this shape, never a file someone else put beside them.
 */
public record BackupName(String name, Instant time) implements Comparable<BackupName> {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final String SUFFIX = ".snapshot.db";
    private static final Pattern SHAPE = Pattern.compile("(.+)-(\\d{8}T\\d{6}Z)" + Pattern.quote(SUFFIX));

    public static BackupName of(String cluster, Instant time) {
        Instant second = time.truncatedTo(ChronoUnit.SECONDS);
        return new BackupName(cluster + "-" + STAMP.format(second) + SUFFIX, second);
    }

    /** The backup this file or object name denotes, if it is one of this cluster's. */
    public static Optional<BackupName> parse(String cluster, String name) {
        Matcher m = SHAPE.matcher(name);
        if (!m.matches() || !m.group(1).equals(cluster)) {
            return Optional.empty();
        }
        return Optional.of(new BackupName(name, STAMP.parse(m.group(2), Instant::from)));
    }

    @Override
    public int compareTo(BackupName other) {
        int byTime = time.compareTo(other.time);
        return byTime != 0 ? byTime : name.compareTo(other.name);
    }
}
