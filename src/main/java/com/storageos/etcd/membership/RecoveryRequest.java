package com.storageos.etcd.membership;

import com.storageos.etcd.toolcontract.RestoreTarget;
import java.util.Optional;

/**
 * A person asked to recover a cluster that lost quorum: from its most advanced surviving member, or from a backup
 * when no member's data survived; or to abort the recovery in progress. Each value is served once.
 *
 * @param value  the request's value, recorded in the status as handled
 * @param force  go ahead even while quorum holds (the other members' data is moved aside all the same)
 * @param method where the data comes from
 * @param backup FromBackup: the target as {@link RestoreTarget#parse} reads it: "latest", a backup name, a revision, a time
 * @param source FromBackup: where the backups are read from (spec.backup's destination), empty when none is configured
 * @param snapshotsOnly FromBackup: the cluster runs etcd 3.4, whose data only full snapshots restore (etcd 3.5 replays a chain)
 */
public record RecoveryRequest(String value, boolean force, Method method, String backup, Optional<String> source,
                              boolean snapshotsOnly) {
    /** A value that starts with this recovers even while quorum holds. */
    public static final String FORCE_PREFIX = "force-";
    /** What follows this in a restore-from-backup value is ignored, so that the same backup can be asked for again. */
    public static final String REPEAT_SEPARATOR = "#";

    public enum Method { FromSurvivor, FromBackup, Abort }

    public static RecoveryRequest of(String value) {
        return new RecoveryRequest(value, value.startsWith(FORCE_PREFIX), Method.FromSurvivor, "", Optional.empty(), false);
    }

    /** Closes the recovery in progress where it stands. */
    public static RecoveryRequest abort(String value) {
        return new RecoveryRequest(value, false, Method.Abort, "", Optional.empty(), false);
    }

    /** {@code [force-](latest|<backup name>|revision:N|<RFC 3339 time>)[#anything]}. */
    public static RecoveryRequest fromBackup(String value, Optional<String> source) {
        return fromBackup(value, source, false);
    }

    public static RecoveryRequest fromBackup(String value, Optional<String> source, boolean snapshotsOnly) {
        boolean force = value.startsWith(FORCE_PREFIX);
        String backup = force ? value.substring(FORCE_PREFIX.length()) : value;
        int repeat = backup.indexOf(REPEAT_SEPARATOR);
        backup = repeat < 0 ? backup : backup.substring(0, repeat);
        return new RecoveryRequest(value, force, Method.FromBackup, backup.isBlank() ? "latest" : backup, source,
                snapshotsOnly);
    }

    /** FromBackup: why its target cannot be restored, judged from the value alone, before anything is touched. */
    public Optional<String> targetProblem() {
        RestoreTarget target;
        try {
            target = RestoreTarget.parse(backup);
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
        if (snapshotsOnly && target.needsReplay()) {
            return Optional.of("etcd 3.4 restores full snapshots only (the changes recorded after one are replayed by etcd 3.5):"
                    + " ask for latest or a backup name");
        }
        return Optional.empty();
    }
}
