package com.storageos.etcd.tool.pitr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.storageos.etcd.etcdclient.KeyEvent;
import com.storageos.etcd.tool.backup.BackupName;
import com.storageos.etcd.tool.backup.Change;
import com.storageos.etcd.tool.backup.Chunk;
import com.storageos.etcd.tool.backup.ChunkName;
import com.storageos.etcd.toolcontract.RestoreTarget;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The pure parts of issue 31: chunk names and codec, restore targets, which snapshot and chunks a restore replays. */
class ReplayPlanTest {
    static final BackupName OLD = BackupName.of("c", Instant.parse("2026-12-07T10:00:00Z"));
    static final BackupName NEW = BackupName.of("c", Instant.parse("2026-12-07T11:00:00Z"));
    static final List<ChunkName> CHUNKS = List.of(new ChunkName(NEW, 501, 600), new ChunkName(OLD, 101, 200),
            new ChunkName(NEW, 401, 500), new ChunkName(OLD, 201, 450));

    @Test
    void chunkNamesSortAfterTheirSnapshotInRevisionOrderAndAreNeverTakenForASnapshot() {
        ChunkName c = new ChunkName(NEW, 401, 500);
        assertThat(c.name()).isEqualTo("c-20261207T110000Z.snapshot.db.chain.0000000000000000401-0000000000000000500");
        assertThat(ChunkName.parse("c", c.name())).contains(c);
        assertThat(ChunkName.parse("other", c.name())).isEmpty();
        assertThat(BackupName.parse("c", c.name())).isEmpty();
        assertThat(List.of(new ChunkName(NEW, 501, 600).name(), NEW.name(), c.name()).stream().sorted().toList())
                .containsExactly(NEW.name(), c.name(), new ChunkName(NEW, 501, 600).name());
    }

    @Test
    void aChunkRoundTripsAndAnyFlippedByteFailsItsChecksum() throws IOException {
        ChunkName name = new ChunkName(NEW, 7, 8);
        Chunk chunk = new Chunk(0xc1, 7, 8, List.of(new Change(KeyEvent.put("a".getBytes(), "1".getBytes(), 7, 7, 1, 42), Instant.ofEpochMilli(5)),
                new Change(KeyEvent.delete("b".getBytes(), 8), Instant.ofEpochMilli(6))), Map.of(42L, 30L));
        byte[] bytes = chunk.encode();
        assertThat(Chunk.decode(name, bytes)).isEqualTo(chunk);
        for (int i = 0; i < bytes.length; i += 7) {
            byte[] bad = bytes.clone();
            bad[i] ^= 1;
            assertThatThrownBy(() -> Chunk.decode(name, bad)).isInstanceOf(Chunk.CorruptChunkException.class);
        }
        assertThatThrownBy(() -> Chunk.decode(new ChunkName(NEW, 7, 9), bytes)).hasMessageContaining("holds revisions 7..8");
    }

    /** A chunk written before chunks recorded their cluster (magic ETCDCHG1, no ID) still reads, with cluster ID 0. */
    @Test
    void aChunkOfTheFirstFormatReadsWithoutACluster() throws Exception {
        ChunkName name = new ChunkName(NEW, 7, 7);
        Chunk now = new Chunk(0xc1, 7, 7, List.of(new Change(KeyEvent.put("a".getBytes(), "1".getBytes(), 7, 7, 1, 0), Instant.ofEpochMilli(5))),
                Map.of());
        byte[] current = now.encode();
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        first.write("ETCDCHG1".getBytes(StandardCharsets.US_ASCII));
        first.write(current, 16, current.length - 16 - 32); // the same fields, without the cluster ID after the magic
        first.write(MessageDigest.getInstance("SHA-256").digest(first.toByteArray()));
        assertThat(Chunk.decode(name, first.toByteArray())).isEqualTo(new Chunk(0, 7, 7, now.changes(), Map.of()));
        assertThat(Chunk.decode(name, current).clusterId()).isEqualTo(0xc1);
    }

    @Test
    void targetsParse() {
        assertThat(RestoreTarget.parse(null)).isEqualTo(new RestoreTarget.Latest());
        assertThat(RestoreTarget.parse("latest")).isEqualTo(new RestoreTarget.Latest());
        assertThat(RestoreTarget.parse(NEW.name())).isEqualTo(new RestoreTarget.Backup(NEW.name()));
        assertThat(RestoreTarget.parse("revision:42")).isEqualTo(new RestoreTarget.AtRevision(42));
        assertThat(RestoreTarget.parse("42")).isEqualTo(new RestoreTarget.AtRevision(42));
        assertThat(RestoreTarget.parse("2026-12-07T10:30:00Z")).isEqualTo(new RestoreTarget.AtTime(Instant.parse("2026-12-07T10:30:00Z")));
        assertThatThrownBy(() -> RestoreTarget.parse("yesterday")).hasMessageContaining("is none of");
        assertThatThrownBy(() -> RestoreTarget.parse("0")).hasMessageContaining("at least 1");
    }

    @Test
    void aRevisionTargetTakesTheNewestSnapshotWhoseChainReachesBackToIt() throws IOException {
        List<BackupName> snapshots = List.of(NEW, OLD);
        assertThat(ReplayPlan.of(new RestoreTarget.AtRevision(450), snapshots, CHUNKS))
                .isEqualTo(new ReplayPlan(NEW, List.of(new ChunkName(NEW, 401, 500)), 450, Optional.empty()));
        assertThat(ReplayPlan.of(new RestoreTarget.AtRevision(150), snapshots, CHUNKS).chunks())
                .containsExactly(new ChunkName(OLD, 101, 200));
        assertThatThrownBy(() -> ReplayPlan.of(new RestoreTarget.AtRevision(50), snapshots, CHUNKS))
                .hasMessageContaining("no backup's chain reaches back to revision 50");
    }

    @Test
    void latestTakesTheNewestSnapshotWithItsWholeChainAndANameTakesTheSnapshotAlone() throws IOException {
        assertThat(ReplayPlan.of(new RestoreTarget.Latest(), List.of(OLD, NEW), CHUNKS).chunks())
                .containsExactly(new ChunkName(NEW, 401, 500), new ChunkName(NEW, 501, 600));
        assertThat(ReplayPlan.of(new RestoreTarget.Backup(OLD.name()), List.of(OLD, NEW), CHUNKS))
                .isEqualTo(new ReplayPlan(OLD, List.of(), Long.MAX_VALUE, Optional.empty()));
        ReplayPlan atTime = ReplayPlan.of(new RestoreTarget.AtTime(Instant.parse("2026-12-07T10:59:59Z")), List.of(OLD, NEW), CHUNKS);
        assertThat(atTime.snapshot()).isEqualTo(OLD);
        assertThat(atTime.wants(300, Instant.parse("2026-12-07T10:59:59Z"))).isTrue();
        assertThat(atTime.wants(301, Instant.parse("2026-12-07T11:00:00Z"))).isFalse();
    }

    @Test
    void onlyANameOrLatestWithoutAChainIsTheSnapshotAlone() throws IOException {
        assertThat(ReplayPlan.of(new RestoreTarget.Backup(NEW.name()), List.of(OLD, NEW), CHUNKS).snapshotAlone()).isTrue();
        assertThat(ReplayPlan.of(new RestoreTarget.Latest(), List.of(OLD, NEW), List.of()).snapshotAlone()).isTrue();
        assertThat(ReplayPlan.of(new RestoreTarget.Latest(), List.of(OLD, NEW), CHUNKS).snapshotAlone()).isFalse();
        // A revision or time is a point to reach even where no chunk follows the snapshot: the replay says if it fell short.
        assertThat(ReplayPlan.of(new RestoreTarget.AtTime(Instant.parse("2026-12-07T12:00:00Z")), List.of(OLD, NEW), List.of())
                .snapshotAlone()).isFalse();
    }

    @Test
    void theCursorDropsRevisionsHeldAndRefusesAHole() throws Exception {
        ChainCursor cursor = new ChainCursor(10);
        assertThat(cursor.accept(List.of(KeyEvent.delete("a".getBytes(), 9), KeyEvent.delete("b".getBytes(), 10),
                KeyEvent.delete("c".getBytes(), 10), KeyEvent.delete("d".getBytes(), 11)))).hasSize(3);
        assertThat(cursor.next()).isEqualTo(12);
        assertThatThrownBy(() -> cursor.accept(List.of(KeyEvent.delete("e".getBytes(), 14))))
                .isInstanceOf(ChainCursor.Gap.class).hasMessageContaining("from revision 12 to 14");
        assertThat(cursor.next()).isEqualTo(12);
    }
}
