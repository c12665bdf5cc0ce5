package com.storageos.etcd.tool.backup;

import com.storageos.etcd.etcdclient.KeyEvent;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The changes of revisions {@code first..last}, every one of them, with the granted TTL of each lease they name (-1 when
 * the lease was already gone), as etcd cluster {@code clusterId} made them. Encoded as: magic {@code ETCDCHG2}; the
 * cluster ID; first, last; the changes (delete flag, mod and create revision, version, lease, seen time in ms, key,
 * value); the leases; then the SHA-256 of all that, as etcd ends a snapshot, so a truncated or altered chunk is refused
 * as a whole. A chunk of the first format ({@code ETCDCHG1}, no cluster ID) still reads, with cluster ID 0.
 *
 * @param clusterId the etcd cluster the changes were watched on, 0 when the chunk does not say
 */
public record Chunk(long clusterId, long first, long last, List<Change> changes, Map<Long, Long> leaseTtls) {
    private static final byte[] MAGIC = "ETCDCHG2".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MAGIC_WITHOUT_CLUSTER = "ETCDCHG1".getBytes(StandardCharsets.US_ASCII);
    private static final int SHA256 = 32;

    public Chunk {
        changes = List.copyOf(changes);
        leaseTtls = Map.copyOf(leaseTtls);
        long previous = first;
        for (Change c : changes) {
            if (c.revision() < previous || c.revision() > last) {
                throw new IllegalArgumentException("change at revision " + c.revision() + " out of order or outside " + first + ".." + last);
            }
            previous = c.revision();
        }
    }

    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            out.writeLong(clusterId);
            out.writeLong(first);
            out.writeLong(last);
            out.writeInt(changes.size());
            for (Change c : changes) {
                KeyEvent e = c.event();
                out.writeBoolean(e.delete());
                out.writeLong(e.modRevision());
                out.writeLong(e.createRevision());
                out.writeLong(e.version());
                out.writeLong(e.lease());
                out.writeLong(c.seen().toEpochMilli());
                writeBytes(out, e.key());
                writeBytes(out, e.value());
            }
            TreeMap<Long, Long> leases = new TreeMap<>(leaseTtls);
            out.writeInt(leases.size());
            for (Map.Entry<Long, Long> l : leases.entrySet()) {
                out.writeLong(l.getKey());
                out.writeLong(l.getValue());
            }
            out.write(VerifyingOutputStream.digest("SHA-256").digest(bytes.toByteArray()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Decodes a chunk read back from the store, refusing one whose checksum or range does not match its name. */
    public static Chunk decode(ChunkName name, byte[] bytes) throws CorruptChunkException {
        boolean withCluster = bytes.length >= MAGIC.length && Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
        if (bytes.length < MAGIC.length + SHA256 || !withCluster && !Arrays.equals(bytes, 0, MAGIC.length, MAGIC_WITHOUT_CLUSTER, 0, MAGIC.length)) {
            throw new CorruptChunkException(name + " is not a chunk (" + bytes.length + " bytes)");
        }
        int body = bytes.length - SHA256;
        MessageDigest sha = VerifyingOutputStream.digest("SHA-256");
        sha.update(bytes, 0, body);
        if (!MessageDigest.isEqual(sha.digest(), Arrays.copyOfRange(bytes, body, bytes.length))) {
            throw new CorruptChunkException(name + " fails its SHA-256 checksum");
        }
        Chunk chunk;
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, MAGIC.length, body - MAGIC.length))) {
            chunk = read(in, withCluster ? in.readLong() : 0);
        } catch (IOException | IllegalArgumentException e) {
            throw new CorruptChunkException(name + " cannot be decoded: " + e.getMessage());
        }
        if (chunk.first != name.first() || chunk.last != name.last()) {
            throw new CorruptChunkException(name + " holds revisions " + chunk.first + ".." + chunk.last);
        }
        return chunk;
    }

    private static Chunk read(DataInputStream in, long clusterId) throws IOException {
        long first = in.readLong();
        long last = in.readLong();
        int count = in.readInt();
        List<Change> changes = new ArrayList<>(Math.min(count, 1 << 16));
        for (int i = 0; i < count; i++) {
            boolean delete = in.readBoolean();
            long mod = in.readLong();
            long create = in.readLong();
            long version = in.readLong();
            long lease = in.readLong();
            Instant seen = Instant.ofEpochMilli(in.readLong());
            changes.add(new Change(new KeyEvent(delete, readBytes(in), readBytes(in), create, mod, version, lease), seen));
        }
        int leases = in.readInt();
        Map<Long, Long> ttls = new TreeMap<>();
        for (int i = 0; i < leases; i++) {
            ttls.put(in.readLong(), in.readLong());
        }
        return new Chunk(clusterId, first, last, changes, ttls);
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new IOException("field length " + length + " runs past the end");
        }
        return in.readNBytes(length);
    }

    /** A chunk that failed its checksum or does not decode; a replay stops before it. */
    public static final class CorruptChunkException extends IOException {
        public CorruptChunkException(String message) {
            super(message);
        }
    }
}
