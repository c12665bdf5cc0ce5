package com.storageos.etcd.tool.backup;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which backups to delete: beyond the newest {@code keepLast}, or older than {@code maxAge}; never the newest, and never
 * the one a caller keeps (the last that passed its restore check, while newer ones fail theirs).
 */
public record Retention(int keepLast, Optional<Duration> maxAge) {

    public Retention {
        if (keepLast < 1) {
            throw new IllegalArgumentException("keepLast must be at least 1, was " + keepLast);
        }
    }

    /** Parses the spec's {@code maxAge}: digits then m or h, for example {@code 168h}. */
    public static Retention of(Integer keepLast, String maxAge) {
        Optional<Duration> age = Optional.ofNullable(maxAge).filter(s -> !s.isBlank()).map(Retention::parseAge);
        return new Retention(keepLast == null ? 7 : keepLast, age);
    }

    /** @param keep the name of a backup to keep whatever its age or rank */
    public List<BackupName> toDelete(List<BackupName> backups, Instant now, Optional<String> keep) {
        List<BackupName> newestFirst = new ArrayList<>(backups);
        newestFirst.sort(Comparator.reverseOrder());
        List<BackupName> doomed = new ArrayList<>();
        for (int i = 1; i < newestFirst.size(); i++) {
            BackupName b = newestFirst.get(i);
            boolean tooMany = i >= keepLast;
            boolean tooOld = maxAge.isPresent() && b.time().isBefore(now.minus(maxAge.get()));
            if ((tooMany || tooOld) && !keep.equals(Optional.of(b.name()))) {
                doomed.add(b);
            }
        }
        return doomed;
    }

    private static Duration parseAge(String text) {
        long amount = Long.parseLong(text.substring(0, text.length() - 1));
        return switch (text.charAt(text.length() - 1)) {
            case 'm' -> Duration.ofMinutes(amount);
            case 'h' -> Duration.ofHours(amount);
            default -> throw new IllegalArgumentException("maxAge must look like 30m or 168h, was " + text);
        };
    }
}
