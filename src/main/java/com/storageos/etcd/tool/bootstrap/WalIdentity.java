package com.storageos.etcd.tool.bootstrap;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Which member of which etcd cluster wrote a data dir, from its WAL: etcd starts every WAL segment with a metadata record
 * holding the member ID and the cluster ID (etcdserverpb.Metadata), and restarts under those whatever its config says. So
 * the data's cluster ID tells data of an earlier cluster incarnation (from before a restore, or of an earlier cluster of
 * the same name) apart from this one's, also where the marker beside the data was rolled back with it.
 *
 * <p>A segment is a sequence of frames: a little-endian 64-bit length (its top byte flags padding to 8 bytes) followed
 * by a walpb.Record (type = 1, crc = 2, data = 3); the metadata record has type 1.
 */
record WalIdentity(long memberId, long clusterId) {
    private static final int HEAD_BYTES = 4096;
    private static final long METADATA_TYPE = 1;
    private static final int FRAMES_BEFORE_METADATA = 4;

    /** From the newest segment's head; empty without a segment, or when its head holds no metadata record. */
    static Optional<WalIdentity> read(Path dataDir) throws IOException {
        Path wal = dataDir.resolve("member").resolve("wal");
        if (!Files.isDirectory(wal)) {
            return Optional.empty();
        }
        Optional<Path> newest;
        try (Stream<Path> files = Files.list(wal)) {
            newest = files.filter(f -> f.getFileName().toString().endsWith(".wal")).max(Comparator.comparing(f -> f.getFileName().toString()));
        }
        if (newest.isEmpty()) {
            return Optional.empty();
        }
        ByteBuffer head = ByteBuffer.allocate(HEAD_BYTES);
        try (FileChannel channel = FileChannel.open(newest.get(), StandardOpenOption.READ)) {
            while (head.hasRemaining() && channel.read(head) > 0) {
                // a segment is preallocated (64 MiB), so only its head is read
            }
        }
        return parse(head.flip());
    }

    /** The metadata record among the first frames of a segment; empty for anything else (a torn or foreign file). */
    static Optional<WalIdentity> parse(ByteBuffer segment) {
        try {
            return metadata(segment);
        } catch (BufferUnderflowException | IndexOutOfBoundsException | IllegalArgumentException garbled) {
            return Optional.empty();
        }
    }

    private static Optional<WalIdentity> metadata(ByteBuffer segment) {
        ByteBuffer in = segment.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        for (int frame = 0; frame < FRAMES_BEFORE_METADATA && in.remaining() >= Long.BYTES; frame++) {
            long lenField = in.getLong();
            int length = (int) (lenField & 0x00FFFFFFFFFFFFFFL);
            int padding = (lenField >>> 56 & 0x80) != 0 ? (int) (lenField >>> 56 & 0x07) : 0;
            if (length <= 0 || length + padding > in.remaining()) {
                return Optional.empty();
            }
            ByteBuffer record = in.slice(in.position(), length);
            in.position(in.position() + length + padding);
            Protobuf fields = Protobuf.of(record);
            if (fields.varint(1) == METADATA_TYPE) {
                Protobuf metadata = Protobuf.of(fields.bytes(3));
                return Optional.of(new WalIdentity(metadata.varint(1), metadata.varint(2)));
            }
        }
        return Optional.empty();
    }

    /** The few protobuf wire types these two messages use: each field's last value, by number. */
    private record Protobuf(Map<Integer, Long> varints, Map<Integer, ByteBuffer> byteFields) {
        static Protobuf of(ByteBuffer message) {
            ByteBuffer in = message.duplicate();
            Map<Integer, Long> varints = new HashMap<>();
            Map<Integer, ByteBuffer> bytes = new HashMap<>();
            while (in.hasRemaining()) {
                long tag = varint(in);
                int field = (int) (tag >>> 3);
                switch ((int) (tag & 7)) {
                    case 0 -> varints.put(field, varint(in));
                    case 1 -> in.position(in.position() + 8);
                    case 2 -> {
                        int length = (int) varint(in);
                        bytes.put(field, in.slice(in.position(), length));
                        in.position(in.position() + length);
                    }
                    case 5 -> in.position(in.position() + 4);
                    default -> throw new IllegalArgumentException("not a WAL record: wire type " + (tag & 7));
                }
            }
            return new Protobuf(varints, bytes);
        }

        long varint(int field) {
            return varints.getOrDefault(field, 0L);
        }

        ByteBuffer bytes(int field) {
            return byteFields.getOrDefault(field, ByteBuffer.allocate(0));
        }

        private static long varint(ByteBuffer in) {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte b = in.get();
                value |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
            throw new IllegalArgumentException("not a WAL record: varint too long");
        }
    }
}
