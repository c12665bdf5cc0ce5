package com.storageos.etcd.tool.backup;

import com.storageos.etcd.api.v1alpha1.spec.BackupSpec;
import com.storageos.etcd.api.v1alpha1.spec.RestoreSpec;
import com.storageos.etcd.api.v1alpha1.status.RestoreCheckStatus;
import com.storageos.etcd.tool.restore.RestoreBinary;
import com.storageos.etcd.tool.restore.SnapshotRestorer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Proves the newest backup restores: it is fetched from the store, its sha256 trailer checked and laid out
 * as a data dir by etcd's own restore, through the same code a bootstrap with spec.bootstrap.restore runs.
 * The scratch data dir is deleted afterwards. A failed check never fails the backup that was just taken.
 */
final class RestoreCheck {
    private final Clock clock;

    RestoreCheck(Clock clock) {
        this.clock = clock;
    }

    RestoreCheckStatus run(BackupSpec backup, String etcdVersion, Map<String, String> env, Path scratch) {
        Instant start = clock.instant();
        RestoreCheckStatus result = new RestoreCheckStatus();
        result.setTime(start.toString());
        RestoreSpec latest = new RestoreSpec();
        latest.setPvc(backup.getPvc());
        latest.setS3(backup.getS3());
        Path work = scratch.resolve("restore-check");
        try {
            Path dataDir = Files.createDirectories(work).resolve("data");
            BackupName restored = new SnapshotRestorer(RestoreBinary.forVersion(etcdVersion, env))
                    .restore(latest, env, "restore-check", "http://127.0.0.1:2380", "restore-check", dataDir);
            result.setBackup(restored.name());
            result.setSucceeded(Files.size(dataDir.resolve("member/snap/db")) > 0);
            result.setMessage(result.getSucceeded() ? "restored " + restored.name() + " into a scratch data dir"
                    : "the restored data dir of " + restored.name() + " has an empty database");
        } catch (IOException | RuntimeException e) {
            result.setSucceeded(false);
            result.setMessage("restore failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result.setSucceeded(false);
            result.setMessage("interrupted");
        } finally {
            deleteTree(work);
        }
        result.setDurationSeconds(Duration.between(start, clock.instant()).toMillis() / 1000.0);
        return result;
    }

    /**
     * The newest backup known to restore: this check's when it passed, else the one the previous run recorded (its own
     * if it passed, or the one it carried forward).
     */
    static Optional<String> lastPassed(RestoreCheckStatus now, RestoreCheckStatus previous) {
        if (Boolean.TRUE.equals(now.getSucceeded())) {
            return Optional.ofNullable(now.getBackup());
        }
        if (previous == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(previous.getLastPassedBackup())
                .or(() -> Optional.ofNullable(Boolean.TRUE.equals(previous.getSucceeded()) ? previous.getBackup() : null));
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            System.err.println("restore check: could not clean " + root + ": " + e.getMessage());
        }
    }
}
