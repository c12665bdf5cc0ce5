package com.storageos.etcd.tool.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.toolcontract.BootstrapReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Moved-aside copies on a real volume directory: bounded per kind, the newest never deleted, and reported. */
class MovedAsideCopiesTest {
    @TempDir
    Path volume;

    @Test
    void aThirdStaleCopyPushesOutTheOldestWithItsMarkerAndKeepsTheNewest() throws Exception {
        DataDir data = new DataDir(volume.resolve("data"));
        for (String member : List.of("a1", "b2", "c3")) {
            moveAsideDataOf(data, member);
        }
        assertThat(names("data.stale-")).as("two copies and their markers").hasSize(4);
        assertThat(markersKept()).containsExactlyInAnyOrder("b2", "c3");
    }

    @Test
    void theOnlyCopyIsNeverDeleted() throws Exception {
        DataDir data = new DataDir(volume.resolve("data"));
        moveAsideDataOf(data, "a1");
        new MovedAsideCopies(volume.resolve("data")).prune();
        assertThat(markersKept()).containsExactly("a1");
    }

    /** A recovery's copies and a replaced member's are bounded apart: neither pushes out the other. */
    @Test
    void eachKindIsBoundedOnItsOwn() throws Exception {
        DataDir data = new DataDir(volume.resolve("data"));
        moveAsideDataOf(data, "before");
        data.moveAsideForRecovery(); // nothing to move: an empty copy records that a recovery removed this member
        Thread.sleep(2);
        for (String member : List.of("a1", "b2", "c3")) {
            moveAsideDataOf(data, member);
        }
        assertThat(names("data.stale-")).hasSize(4);
        assertThat(data.movedAsideForRecovery()).isTrue();
    }

    @Test
    void theSummarySaysHowManyCopiesHowLargeAndSinceWhen() throws Exception {
        DataDir data = new DataDir(volume.resolve("data"));
        assertThat(new MovedAsideCopies(volume.resolve("data")).summary()).isEmpty();
        Instant before = Instant.now().minusMillis(1);
        moveAsideDataOf(data, "a1");
        moveAsideDataOf(data, "b2");
        String line = new MovedAsideCopies(volume.resolve("data")).summary().orElseThrow();
        BootstrapReport.KeptAside kept = BootstrapReport.keptAside("RestoredFromBackup: etcd-0 starts alone\n" + line).orElseThrow();
        assertThat(kept.copies()).isEqualTo(2);
        assertThat(kept.bytes()).as("one 1 KiB WAL segment in each").isEqualTo(2048);
        assertThat(kept.oldest()).isAfter(before).isBefore(Instant.now());
    }

    private void moveAsideDataOf(DataDir data, String member) throws Exception {
        Path wal = volume.resolve("data/member/wal/0000000000000000-0000000000000000.wal");
        Files.createDirectories(wal.getParent());
        Files.write(wal, new byte[1024]);
        data.writeMarker(member);
        data.moveAside();
        Thread.sleep(2); // copies are named by the millisecond
    }

    private List<String> names(String prefix) throws Exception {
        try (Stream<Path> entries = Files.list(volume)) {
            return entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix)).toList();
        }
    }

    private List<String> markersKept() throws Exception {
        try (Stream<Path> entries = Files.list(volume)) {
            return entries.filter(p -> p.getFileName().toString().matches("data\\.stale-\\d+\\.member"))
                    .map(p -> {
                        try {
                            return Files.readString(p).trim();
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }).toList();
        }
    }
}
