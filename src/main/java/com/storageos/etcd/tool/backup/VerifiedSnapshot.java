package com.storageos.etcd.tool.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A snapshot file whose etcd trailer checked out: etcd appends the sha256 of everything before it
 * as the last 32 bytes, so a truncated or altered file fails the check. Taking a backup checks it on
 * the bytes as they stream in ({@link VerifyingOutputStream}); {@link #verify} reads a file that
 * already exists, such as a backup about to be restored.
 */
public record VerifiedSnapshot(Path file, long size, String sha256) {
    static final int TRAILER = 32;
    private static final int BUFFER = 1 << 20;

    /** Reads the file once; throws {@link CorruptSnapshotException} when the trailer does not match. */
    public static VerifiedSnapshot verify(Path file) throws IOException {
        VerifyingOutputStream check = new VerifyingOutputStream(OutputStream.nullOutputStream());
        try (InputStream in = Files.newInputStream(file); check) {
            byte[] buf = new byte[BUFFER];
            for (int n; (n = in.read(buf)) > 0; ) {
                check.write(buf, 0, n);
            }
        }
        return check.verified(file);
    }

    /** The snapshot failed its integrity check; it must never count as a backup. */
    public static final class CorruptSnapshotException extends IOException {
        public CorruptSnapshotException(String message) {
            super(message);
        }
    }
}
