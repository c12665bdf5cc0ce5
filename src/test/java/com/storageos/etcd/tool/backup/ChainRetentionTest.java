package com.storageos.etcd.tool.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 31: retention counts a full snapshot and its chain together; a chain goes only with its snapshot. */
class ChainRetentionTest {
    @TempDir
    Path dir;

    @Test
    void aChainIsDeletedWithItsSnapshotAndKeptWithIt() throws Exception {
        BackupStore store = new DirectoryBackupStore(dir, "c");
        BackupName old = BackupName.of("c", Instant.parse("2026-12-07T10:00:00Z"));
        BackupName kept = BackupName.of("c", Instant.parse("2026-12-07T11:00:00Z"));
        for (BackupName b : List.of(old, kept)) {
            Files.writeString(dir.resolve(b.name()), "snapshot");
            store.putChunk(new ChunkName(b, 1, 2), new Chunk(0xc1, 1, 2, List.of(), Map.of()).encode());
            store.putChunk(new ChunkName(b, 3, 9), new Chunk(0xc1, 3, 9, List.of(), Map.of()).encode());
        }
        BackupCommand.applyRetention(store, Retention.of(1, null), Instant.parse("2026-12-07T12:00:00Z"), Optional.empty());
        assertThat(store.list()).containsExactly(kept);
        assertThat(store.chunks()).containsExactlyInAnyOrder(new ChunkName(kept, 1, 2), new ChunkName(kept, 3, 9));
        try (var left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).as("no staging file left behind").allMatch(n -> n.startsWith("c-"));
        }
    }

    /** The scheduled backup's snapshot is newer than the agent's chain until the agent moves to it: keepLast 1 keeps both. */
    @Test
    void theNewestChainedSnapshotIsKeptBesideANewerSnapshotWithoutAChain() throws Exception {
        BackupStore store = new DirectoryBackupStore(dir, "c");
        BackupName older = BackupName.of("c", Instant.parse("2026-12-07T09:00:00Z"));
        BackupName live = BackupName.of("c", Instant.parse("2026-12-07T10:00:00Z"));
        BackupName scheduled = BackupName.of("c", Instant.parse("2026-12-07T11:00:00Z"));
        for (BackupName b : List.of(older, live, scheduled)) {
            Files.writeString(dir.resolve(b.name()), "snapshot");
        }
        store.putChunk(new ChunkName(older, 1, 2), new Chunk(0xc1, 1, 2, List.of(), Map.of()).encode());
        store.putChunk(new ChunkName(live, 3, 9), new Chunk(0xc1, 3, 9, List.of(), Map.of()).encode());
        BackupCommand.applyRetention(store, Retention.of(1, null), Instant.parse("2026-12-07T12:00:00Z"), Optional.empty());
        assertThat(store.list()).containsExactlyInAnyOrder(live, scheduled);
        assertThat(store.chunks()).containsExactly(new ChunkName(live, 3, 9));
    }
}
