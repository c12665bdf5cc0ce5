package com.storageos.etcd.tool.bootstrap;

import com.storageos.etcd.toolcontract.MemberPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A member's data dir and the marker beside it that says which member created the data. The marker
 * lives outside the data dir, in the volume root, so that etcd never sees it.
 */
final class DataDir {
    private static final String RECOVERED_AWAY = ".before-recovery-";
    private static final String LEGACY_CONFIG_FILE = "etcd.conf.yaml";
    private final Path dataDir;
    private final Path marker;

    DataDir(Path dataDir) {
        this.dataDir = dataDir;
        this.marker = dataDir.resolveSibling(dataDir.getFileName() + ".member");
    }

    /**
     * etcd's own test (wal.Exist): a member's data is its WAL, so without a WAL segment etcd starts
     * as a fresh member. A start that failed before it wrote the WAL leaves {@code member/snap/db}
     * (and at most a WAL dir without segments) behind; counting that as data would restart a member
     * that has none, and etcd would fail on it forever.
     */
    boolean hasData() throws IOException {
        Path wal = dataDir.resolve("member").resolve("wal");
        if (!Files.isDirectory(wal)) {
            return false;
        }
        try (Stream<Path> files = Files.list(wal)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".wal"));
        }
    }

    Path path() {
        return dataDir;
    }

    /** etcd's config file, inside {@code member/} so that it is lost with the data (see {@link MemberPaths#CONFIG_FILE_IN_DATA_DIR}). */
    Path configFile() {
        return dataDir.resolve(MemberPaths.CONFIG_FILE_IN_DATA_DIR);
    }

    /** Also where earlier releases kept it, beside {@code member/}, where a loss of {@code member/} alone left it behind. */
    void deleteConfig() throws IOException {
        Files.deleteIfExists(configFile());
        Files.deleteIfExists(dataDir.resolve(LEGACY_CONFIG_FILE));
    }

    Optional<String> marker() throws IOException {
        return Files.exists(marker) ? Optional.of(Files.readString(marker).trim()) : Optional.empty();
    }

    void writeMarker(String value) throws IOException {
        Files.writeString(marker, value + "\n");
    }

    /**
     * Moves stale data aside, with its marker, to {@code <data>.stale-<epoch millis>}. Of earlier copies only the newest are
     * kept ({@link MovedAsideCopies}); the runbook says how to clean up the rest.
     */
    void moveAside() throws IOException {
        moveWithMarker(dataDir.resolveSibling(dataDir.getFileName() + ".stale-" + Instant.now().toEpochMilli()));
    }

    private void moveWithMarker(Path aside) throws IOException {
        Files.move(dataDir, aside);
        if (Files.exists(marker)) {
            Files.move(marker, aside.resolveSibling(aside.getFileName() + ".member"));
        }
        new MovedAsideCopies(dataDir).prune();
    }

    /**
     * A recovery from another member: whatever is on this volume for the data dir moves to
     * {@code <data>.before-recovery-<epoch millis>}, marker included (of earlier copies only the newest are kept). With
     * nothing to move (the volume was lost too) an empty one records that the recovery removed this member.
     */
    void moveAsideForRecovery() throws IOException {
        Path aside = dataDir.resolveSibling(dataDir.getFileName() + RECOVERED_AWAY + Instant.now().toEpochMilli());
        if (!Files.exists(dataDir)) {
            if (!movedAsideForRecovery()) {
                Files.createDirectories(aside);
                new MovedAsideCopies(dataDir).prune();
            }
            return;
        }
        moveWithMarker(aside);
    }

    /** A recovery from another member moved this member's data aside on this volume. */
    boolean movedAsideForRecovery() throws IOException {
        if (!Files.isDirectory(dataDir.getParent())) {
            return false;
        }
        try (Stream<Path> siblings = Files.list(dataDir.getParent())) {
            return siblings.anyMatch(p -> p.getFileName().toString().startsWith(dataDir.getFileName() + RECOVERED_AWAY));
        }
    }
}
