package com.storageos.etcd.tool.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;

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

    /** Content-MD5 of the staged file, which must still be the snapshot whose trailer checked out. */
    static String md5OfUnchanged(VerifiedSnapshot snapshot) throws IOException {
        MessageDigest md5 = VerifyingOutputStream.digest("MD5");
        MessageDigest sha256 = VerifyingOutputStream.digest("SHA-256");
        try (InputStream in = Files.newInputStream(snapshot.file())) {
            byte[] buf = new byte[1 << 20];
            for (int n; (n = in.read(buf)) > 0; ) {
                md5.update(buf, 0, n);
                sha256.update(buf, 0, n);
            }
        }
        requireUnchanged(snapshot, sha256);
        return Base64.getEncoder().encodeToString(md5.digest());
    }

    static void requireUnchanged(VerifiedSnapshot snapshot, MessageDigest sha256) throws IOException {
        if (!HexFormat.of().formatHex(sha256.digest()).equals(snapshot.sha256())) {
            throw new VerifiedSnapshot.CorruptSnapshotException(snapshot.file() + " changed after it was verified; not published");
        }
    }

    /** The snapshot failed its integrity check; it must never count as a backup. */
    public static final class CorruptSnapshotException extends IOException {
        public CorruptSnapshotException(String message) {
            super(message);
        }
    }
}
