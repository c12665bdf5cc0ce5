package com.storageos.etcd.tool.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class VerifyingOutputStreamTest {
    private static final Path FILE = Path.of("snap.db");

    @Test
    void acceptsASnapshotHoweverTheStreamIsChunked() throws Exception {
        byte[] snapshot = snapshot(100_000);
        for (int chunk : new int[] {1, 7, 31, 32, 33, 4096, 99_999, 200_000}) {
            ByteArrayOutputStream copy = new ByteArrayOutputStream();
            VerifyingOutputStream out = new VerifyingOutputStream(copy);
            for (int off = 0; off < snapshot.length; off += chunk) {
                out.write(snapshot, off, Math.min(chunk, snapshot.length - off));
            }
            out.close();
            VerifiedSnapshot verified = out.verified(FILE);
            assertThat(copy.toByteArray()).as("passes every byte on").isEqualTo(snapshot);
            assertThat(verified.size()).isEqualTo(snapshot.length);
            assertThat(verified.sha256()).as("chunks of " + chunk)
                    .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(snapshot)));
        }
    }

    @Test
    void rejectsAFlippedByteATruncationAndATinyStream() throws Exception {
        byte[] snapshot = snapshot(10_000);
        for (int at : new int[] {0, 5000, snapshot.length - 33, snapshot.length - 1}) {
            byte[] bad = snapshot.clone();
            bad[at] ^= 1;
            assertThatThrownBy(() -> stream(bad, 1000)).as("byte " + at + " flipped")
                    .isInstanceOf(VerifiedSnapshot.CorruptSnapshotException.class).hasMessageContaining("trailer does not match");
        }
        assertThatThrownBy(() -> stream(Arrays.copyOf(snapshot, 9000), 1000)).hasMessageContaining("trailer does not match");
        assertThatThrownBy(() -> stream(new byte[32], 5)).hasMessageContaining("too short");
    }

    private static VerifiedSnapshot stream(byte[] bytes, int chunk) throws Exception {
        VerifyingOutputStream out = new VerifyingOutputStream(OutputStream.nullOutputStream());
        for (int off = 0; off < bytes.length; off += chunk) {
            out.write(bytes, off, Math.min(chunk, bytes.length - off));
        }
        out.close();
        return out.verified(FILE);
    }

    /** A body followed by its sha256, as etcd lays out a snapshot. */
    private static byte[] snapshot(int bodyLength) throws Exception {
        byte[] body = new byte[bodyLength];
        new Random(bodyLength).nextBytes(body);
        byte[] trailer = MessageDigest.getInstance("SHA-256").digest(body);
        byte[] all = Arrays.copyOf(body, bodyLength + trailer.length);
        System.arraycopy(trailer, 0, all, bodyLength, trailer.length);
        return all;
    }
}
