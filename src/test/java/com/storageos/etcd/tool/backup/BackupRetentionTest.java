package com.storageos.etcd.tool.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupRetentionTest {
    static final Instant NOW = Instant.parse("2024-05-10T12:00:00Z");

    static List<BackupName> hourly(int count) {
        return IntStream.range(0, count).mapToObj(i -> BackupName.of("kv", NOW.minus(Duration.ofHours(i)))).toList();
    }

    @Test
    void keepLastKeepsTheNewest() {
        List<BackupName> doomed = Retention.of(3, null).toDelete(hourly(5), NOW, Optional.empty());
        assertThat(doomed).containsExactlyInAnyOrder(hourly(5).get(3), hourly(5).get(4));
    }

    @Test
    void maxAgeDeletesOldOnesButNeverTheNewest() {
        assertThat(Retention.of(10, "90m").toDelete(hourly(4), NOW, Optional.empty())).containsExactlyInAnyOrder(hourly(4).get(2), hourly(4).get(3));
        List<BackupName> ancient = List.of(BackupName.of("kv", NOW.minus(Duration.ofDays(30))));
        assertThat(Retention.of(1, "1h").toDelete(ancient, NOW, Optional.empty())).isEmpty();
    }

    /** A newer backup that failed its restore check never pushes out the last one that passed. */
    @Test
    void theLastBackupThatPassedItsCheckIsKept() {
        List<BackupName> backups = hourly(4);
        String passed = backups.get(2).name();
        assertThat(Retention.of(1, "90m").toDelete(backups, NOW, Optional.of(passed)))
                .containsExactlyInAnyOrder(backups.get(1), backups.get(3));
    }

    @Test
    void namesRoundTripAndForeignFilesAreIgnored() {
        BackupName b = BackupName.of("kv", NOW);
        assertThat(b.name()).isEqualTo("kv-20240510T120000Z.snapshot.db");
        assertThat(BackupName.parse("kv", b.name())).contains(b);
        assertThat(BackupName.parse("kv2", b.name())).isEmpty();
        assertThat(BackupName.parse("kv", "notes.txt")).isEmpty();
        assertThat(BackupName.parse("kv", "." + b.name() + ".partial")).isEmpty();
    }

    @Test
    void trailerMustMatchTheBody(@TempDir Path dir) throws Exception {
        byte[] body = new byte[3 * 1024 * 1024 + 7];
        new Random(1).nextBytes(body);
        Path file = dir.resolve("s.db");
        Files.write(file, body);
        Files.write(file, MessageDigest.getInstance("SHA-256").digest(body), StandardOpenOption.APPEND);
        VerifiedSnapshot ok = VerifiedSnapshot.verify(file);
        assertThat(ok.size()).isEqualTo(body.length + 32L);
        assertThat(ok.sha256()).hasSize(64);
        flipByte(file, 12345);
        assertThatThrownBy(() -> VerifiedSnapshot.verify(file)).isInstanceOf(VerifiedSnapshot.CorruptSnapshotException.class);
        Files.write(file, new byte[10]);
        assertThatThrownBy(() -> VerifiedSnapshot.verify(file)).hasMessageContaining("too short");
    }

    static void flipByte(Path file, long offset) throws IOException {
        byte[] all = Files.readAllBytes(file);
        all[(int) offset] ^= 0x40;
        Files.write(file, all);
    }
}
