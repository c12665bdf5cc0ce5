package com.storageos.etcd.tool.backup;

import com.storageos.etcd.etcdclient.EndpointStatus;
import com.storageos.etcd.etcdclient.EtcdAdmin;
import com.storageos.etcd.etcdclient.EtcdAdminException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/** Streams a snapshot from the first healthy source that yields one whose trailer checks out. */
public final class SnapshotTaker {
    private final EtcdAdmin admin;

    public SnapshotTaker(EtcdAdmin admin) {
        this.admin = admin;
    }

    /** @param revision the member's revision just before the snapshot started: the snapshot holds at least it */
    public record Taken(VerifiedSnapshot snapshot, SnapshotSource source, long revision) {
    }

    /** What a snapshot's progress is told to: the bytes streamed from a source whose database takes dbSize bytes on disk. */
    public interface Streamed {
        void bytes(SnapshotSource source, long streamed, long dbSize);
    }

    /** Tries the sources in the order given; the staging file is removed unless a verified snapshot is returned. */
    public Taken take(List<SnapshotSource> sources, Path staging, Streamed progress) throws IOException {
        List<String> failures = new ArrayList<>();
        for (SnapshotSource source : sources) {
            if (!admin.isHealthy(source.clientUrl())) {
                failures.add(source.name() + ": not healthy");
                continue;
            }
            try {
                EndpointStatus status = admin.status(source.clientUrl());
                return new Taken(streamAndVerify(source, staging, n -> progress.bytes(source, n, status.dbSize())), source,
                        status.revision());
            } catch (IOException | EtcdAdminException e) {
                Files.deleteIfExists(staging);
                failures.add(source.name() + ": " + e.getMessage());
            }
        }
        throw new IOException("no member gave a verified snapshot (" + String.join("; ", failures) + ")");
    }

    private VerifiedSnapshot streamAndVerify(SnapshotSource source, Path staging, LongConsumer streamed) throws IOException {
        // Checked on the way to the file, not read back: a corrupt snapshot fails here, before any publish.
        VerifyingOutputStream out = new VerifyingOutputStream(new CountingOutputStream(
                new BufferedOutputStream(Files.newOutputStream(staging), 1 << 20), streamed));
        try (out) {
            admin.snapshot(source.clientUrl(), out);
        }
        return out.verified(staging);
    }
}
