package com.storageos.etcd.tool.pitr;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/** The point a restore brings back: the newest state stored, one full snapshot as it is, a revision, or a time. */
public sealed interface RestoreTarget {
    record Latest() implements RestoreTarget {
    }

    /** One full snapshot by its name, without its chain: what a restore did before chains. */
    record Backup(String name) implements RestoreTarget {
    }

    record AtRevision(long revision) implements RestoreTarget {
    }

    /** The state as the follower had seen it at this time. */
    record AtTime(Instant time) implements RestoreTarget {
    }

    /**
     * Reads {@code latest} (or nothing), a backup name ({@code ...snapshot.db}), {@code revision:N} or a bare number, or
     * an RFC 3339 time such as {@code 2026-12-07T15:04:05Z}.
     */
    static RestoreTarget parse(String text) {
        if (text == null || text.isBlank() || text.equals("latest")) {
            return new Latest();
        }
        if (text.endsWith(".snapshot.db")) {
            return new Backup(text);
        }
        String digits = text.startsWith("revision:") ? text.substring("revision:".length()) : text;
        if (digits.matches("\\d{1,18}")) {
            long revision = Long.parseLong(digits);
            if (revision < 1) {
                throw new IllegalArgumentException("a revision to restore to is at least 1, was " + text);
            }
            return new AtRevision(revision);
        }
        try {
            return new AtTime(Instant.parse(text));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("restore target '" + text
                    + "' is none of: latest, a backup name (<cluster>-<time>.snapshot.db), revision:N, an RFC 3339 UTC time");
        }
    }
}
