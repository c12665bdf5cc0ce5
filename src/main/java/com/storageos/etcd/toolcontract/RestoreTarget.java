package com.storageos.etcd.toolcontract;

import com.storageos.etcd.api.v1alpha1.spec.RestoreSpec;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The point a restore brings back: the newest state stored (the newest full snapshot and its chain), one full snapshot
 * as it is, a revision, or a time. Read by the operator, to refuse a request it cannot serve before anything is touched,
 * and by member 0's bootstrap, which restores it.
 */
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

    /** True for a point inside a chain (a revision or a time), which only a replay reaches. */
    default boolean needsReplay() {
        return this instanceof AtRevision || this instanceof AtTime;
    }

    /**
     * Reads {@code latest} (or nothing), a backup name ({@code ...snapshot.db}), {@code revision:N} or a bare number, or
     * an RFC 3339 time such as {@code 2026-12-07T15:04:05Z}: the restore-from-backup annotation's syntax.
     *
     * @throws IllegalArgumentException for anything else, saying what is accepted
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
        return new AtTime(time(text));
    }

    /**
     * spec.bootstrap.restore's target: its revision or time when set (admission lets either only beside backup 'latest'),
     * else its backup, 'latest' or a name, taken as a name whatever it looks like.
     */
    static RestoreTarget of(RestoreSpec spec) {
        if (spec.getRevision() != null) {
            return new AtRevision(spec.getRevision());
        }
        if (spec.getTime() != null) {
            return new AtTime(time(spec.getTime()));
        }
        return spec.getBackup() == null || spec.getBackup().equals("latest") ? new Latest() : new Backup(spec.getBackup());
    }

    private static Instant time(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("restore target '" + text
                    + "' is none of: latest, a backup name (<cluster>-<time>.snapshot.db), revision:N, an RFC 3339 time");
        }
    }
}
