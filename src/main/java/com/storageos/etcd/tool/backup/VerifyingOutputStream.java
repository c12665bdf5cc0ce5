package com.storageos.etcd.tool.backup;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Checks an etcd snapshot on the bytes as they are written, so the snapshot is read only once: etcd
 * appends the sha256 of everything before it as the last 32 bytes. The end is unknown until the
 * stream ends, so the newest 32 bytes are held back from the body digest until more arrive. One
 * SHA-256 pass serves both: the whole stream's sha256 (what {@code sha256sum} prints, recorded in
 * status) is the body's digest state carried on over the trailer.
 */
final class VerifyingOutputStream extends FilterOutputStream {
    private final MessageDigest body = digest("SHA-256");
    private final byte[] tail = new byte[VerifiedSnapshot.TRAILER];
    private int tailLength;
    private long size;

    VerifyingOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        size += len;
        int pending = tailLength + len;
        if (pending <= tail.length) {
            System.arraycopy(b, off, tail, tailLength, len);
            tailLength = pending;
            return;
        }
        // Bytes pushed out of the 32-byte window are body: the held-back ones first, then the new ones.
        int toBody = pending - tail.length;
        int fromTail = Math.min(tailLength, toBody);
        body.update(tail, 0, fromTail);
        body.update(b, off, toBody - fromTail);
        System.arraycopy(tail, fromTail, tail, 0, tailLength - fromTail);
        System.arraycopy(b, off + toBody - fromTail, tail, tailLength - fromTail, len - (toBody - fromTail));
        tailLength = tail.length;
    }

    /** After the stream is closed: the snapshot written to {@code file}, or why it must never count as a backup. */
    VerifiedSnapshot verified(Path file) throws VerifiedSnapshot.CorruptSnapshotException {
        if (size <= VerifiedSnapshot.TRAILER) {
            throw new VerifiedSnapshot.CorruptSnapshotException(file + " has " + size + " bytes: too short for an etcd snapshot");
        }
        MessageDigest whole = copy(body);
        whole.update(tail);
        if (!Arrays.equals(body.digest(), tail)) {
            throw new VerifiedSnapshot.CorruptSnapshotException(file + ": sha256 trailer does not match the snapshot body");
        }
        return new VerifiedSnapshot(file, size, HexFormat.of().formatHex(whole.digest()));
    }

    private static MessageDigest copy(MessageDigest digest) {
        try {
            return (MessageDigest) digest.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA-256 is cloneable", e);
        }
    }

    static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has " + algorithm, e);
        }
    }
}
