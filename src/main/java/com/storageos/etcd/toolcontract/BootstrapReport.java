package com.storageos.etcd.toolcontract;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;


/**
 * The words the bootstrap tool writes to its termination message, which the operator reads back.
 * Plain text with a fixed prefix, so that a person reading {@code kubectl describe pod} understands it too.
 */
public final class BootstrapReport {
    public static final String DATA_LOST = "DataLost:";
    public static final String NOT_A_MEMBER = "NotAMember:";
    public static final String UNKNOWN_DATA = "UnknownData:";
    /**
     * Member 0 has no data while the bootstrap journal says other retained volumes hold an earlier cluster: it
     * waits for them, and once they answer it is replaced like a member whose data is lost.
     */
    public static final String RETAINED_MEMBERS = "WaitingForRetainedMembers:";

    /**
     * Written on success: etcd starts with --force-new-cluster, as a recovery from this survivor asked. The operator
     * restarts the pod once more without the flag before the cluster grows.
     */
    public static final String FORCED_NEW_CLUSTER = "ForcedNewCluster:";
    /** A restore from a backup was asked for, but no backup store is configured. */
    public static final String NO_BACKUP_STORE = "NoBackupStore:";
    /**
     * Written on success: member 0 starts on data restored from a backup for the open RestoreFromBackup (restored now,
     * or earlier for the same request and kept), followed by the backup's name.
     */
    public static final String RESTORED_FROM_BACKUP = "RestoredFromBackup:";
    /**
     * A restore was asked for, but its target cannot be restored (it cannot be read, no backup reaches it, the store
     * cannot be read): refused before anything on the volume is touched.
     */
    public static final String RESTORE_REFUSED = "RestoreRefused:";
    /**
     * A line of its own after {@link #RESTORED_FROM_BACKUP}: what the restore brought back, as
     * {@code Recovered: revision=1234 complete=false <sentence>}; the revision is {@code ?} for a snapshot restored as it is.
     */
    public static final String RECOVERED = "Recovered:";
    private static final Pattern RECOVERED_LINE = Pattern.compile(
            "(?m)^" + RECOVERED + " revision=(\\d+|\\?) complete=(true|false) (.*)$");

    /** What a restore brought back: the revision restored to (empty when not known), whether it reached its target, and in words. */
    public record Recovered(OptionalLong revision, boolean complete, String summary) {
        public String line() {
            return RECOVERED + " revision=" + (revision.isPresent() ? String.valueOf(revision.getAsLong()) : "?") + " complete=" + complete
                    + " " + summary.replace('\n', ' ');
        }
    }

    /** The recovered line of a termination message, if it has one. */
    public static Optional<Recovered> recovered(String terminationMessage) {
        Matcher m = RECOVERED_LINE.matcher(terminationMessage == null ? "" : terminationMessage);
        return m.find() ? Optional.of(new Recovered(m.group(1).equals("?") ? OptionalLong.empty()
                : OptionalLong.of(Long.parseLong(m.group(1))), Boolean.parseBoolean(m.group(2)), m.group(3)))
                : Optional.empty();
    }

    /** A recovery from another member removed this one: its data was moved aside, and it waits to join as a learner. */
    public static final String MOVED_ASIDE = "MovedAsideForRecovery:";

    /**
     * A line of its own, after any other message: the copies of this member's data moved aside and kept on its volume, as
     * {@code KeptAside: copies=2 bytes=123 oldest=2026-01-01T00:00:00Z}.
     */
    public static final String KEPT_ASIDE = "KeptAside:";
    private static final Pattern KEPT_ASIDE_LINE = Pattern.compile(
            "(?m)^" + KEPT_ASIDE + " copies=(\\d+) bytes=(\\d+) oldest=(\\S+)$");

    /** What the volume keeps aside, as the report says it. */
    public record KeptAside(int copies, long bytes, Instant oldest) { }

    private BootstrapReport() {
    }

    public static String keptAside(int copies, long bytes, Instant oldest) {
        return KEPT_ASIDE + " copies=" + copies + " bytes=" + bytes + " oldest=" + oldest;
    }

    /** The kept-aside line of a termination message, if it has one. */
    public static Optional<KeptAside> keptAside(String terminationMessage) {
        if (terminationMessage == null) {
            return Optional.empty();
        }
        Matcher m = KEPT_ASIDE_LINE.matcher(terminationMessage);
        return m.find() ? Optional.of(new KeptAside(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2)),
                Instant.parse(m.group(3)))) : Optional.empty();
    }

    public static boolean isForcedNewCluster(String terminationMessage) {
        return terminationMessage != null && terminationMessage.startsWith(FORCED_NEW_CLUSTER);
    }

    public static boolean isRestoredFromBackup(String terminationMessage) {
        return terminationMessage != null && terminationMessage.startsWith(RESTORED_FROM_BACKUP);
    }

    public static boolean isDataLoss(String terminationMessage) {
        return terminationMessage != null && (terminationMessage.startsWith(DATA_LOST) || terminationMessage.startsWith(RETAINED_MEMBERS)
                || terminationMessage.startsWith(MOVED_ASIDE));
    }
}
