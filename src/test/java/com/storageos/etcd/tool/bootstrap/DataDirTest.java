package com.storageos.etcd.tool.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirTest {
    @TempDir
    Path volume;

    private Path file(String relative) throws Exception {
        Path f = volume.resolve("data").resolve(relative);
        Files.createDirectories(f.getParent());
        return Files.write(f, new byte[] {1});
    }

    private boolean hasData() throws Exception {
        return new DataDir(volume.resolve("data")).hasData();
    }

    @Test
    void everyCopyMovedAsideIsKeptWithItsMarker() throws Exception {
        DataDir data = new DataDir(volume.resolve("data"));
        for (String member : new String[] {"a1", "b2"}) {
            file("member/wal/0000000000000000-0000000000000000.wal");
            data.writeMarker(member);
            data.moveAside();
            Thread.sleep(2);
        }
        try (var entries = Files.list(volume)) {
            assertThat(entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("data.stale-")).toList())
                    .as("both copies and their markers").hasSize(4);
        }
        assertThat(data.marker()).isEmpty();
    }

    @Test
    void aMissingDataDirHoldsNoData() throws Exception {
        assertThat(hasData()).isFalse();
    }

    @Test
    void whatAFailedStartLeavesBehindIsNoData() throws Exception {
        file("member/snap/db");
        assertThat(hasData()).as("only the backend file").isFalse();
        Files.createDirectories(volume.resolve("data/member/wal"));
        assertThat(hasData()).as("an empty WAL dir").isFalse();
        file("member/wal/0.tmp");
        assertThat(hasData()).as("a preallocated segment that was never renamed").isFalse();
    }

    @Test
    void aWalSegmentIsData() throws Exception {
        file("member/wal/0000000000000000-0000000000000000.wal");
        assertThat(hasData()).isTrue();
    }
}
