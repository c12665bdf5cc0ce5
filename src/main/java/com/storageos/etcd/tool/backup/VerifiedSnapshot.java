package com.storageos.etcd.tool.backup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A snapshot file whose etcd trailer checked out: etcd appends the sha256 of everything before it
 * as the last 32 bytes, so a truncated or altered file fails here. One pass also yields the whole
 * file's sha256 (what {@code sha256sum} prints, recorded in status) and its MD5 (Content-MD5 for S3).
 */
public record VerifiedSnapshot(Path file, long size, String sha256, String md5Base64) {
    static final int TRAILER = 32;
    private static final int BUFFER = 1 << 20;

    /** Reads the file once; throws {@link CorruptSnapshotException} when the trailer does not match. */
    public static VerifiedSnapshot verify(Path file) throws IOException {
        long size = Files.size(file);
        if (size <= TRAILER) {
            throw new CorruptSnapshotException(file + " has " + size + " bytes: too short for an etcd snapshot");
        }
        MessageDigest body = digest("SHA-256");
        MessageDigest whole = digest("SHA-256");
        MessageDigest md5 = digest("MD5");
        byte[] trailer = new byte[TRAILER];
        long bodyLength = size - TRAILER;
        long read = 0;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[BUFFER];
            for (int n; (n = in.read(buf)) > 0; read += n) {
                whole.update(buf, 0, n);
                md5.update(buf, 0, n);
                int bodyPart = (int) Math.max(0, Math.min(n, bodyLength - read));
                body.update(buf, 0, bodyPart);
                // The trailer may straddle two reads: copy the part of this chunk that lies beyond the body.
                for (int i = bodyPart; i < n; i++) {
                    trailer[(int) (read + i - bodyLength)] = buf[i];
                }
            }
        }
        if (read != size || !Arrays.equals(body.digest(), trailer)) {
            throw new CorruptSnapshotException(file + ": sha256 trailer does not match the snapshot body");
        }
        return new VerifiedSnapshot(file, size, HexFormat.of().formatHex(whole.digest()),
                Base64.getEncoder().encodeToString(md5.digest()));
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has " + algorithm, e);
        }
    }

    /** The snapshot failed its integrity check; it must never count as a backup. */
    public static final class CorruptSnapshotException extends IOException {
        public CorruptSnapshotException(String message) {
            super(message);
        }
    }
}
