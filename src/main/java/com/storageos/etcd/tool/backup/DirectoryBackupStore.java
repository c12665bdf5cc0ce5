package com.storageos.etcd.tool.backup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Backups as files in one directory (of a mounted PVC). */
public final class DirectoryBackupStore implements BackupStore {
    private final Path dir;
    private final String cluster;

    public DirectoryBackupStore(Path dir, String cluster) {
        this.dir = dir;
        this.cluster = cluster;
    }

    @Override
    public Path stagingDir() throws IOException {
        return Files.createDirectories(dir);
    }

    /** fsync the file, rename it into place, fsync the directory: after a crash it is either whole or absent. */
    @Override
    public String publish(VerifiedSnapshot snapshot, BackupName name) throws IOException {
        try (FileChannel ch = FileChannel.open(snapshot.file(), StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Path target = dir.resolve(name.name());
        moveIntoPlace(snapshot.file(), target);
        return target.toString();
    }

    private void moveIntoPlace(Path file, Path target) throws IOException {
        Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException notSupported) {
            // Some filesystems refuse to open a directory for sync; the rename itself is still atomic.
        }
    }

    /** As a snapshot: written under a hidden name, synced, renamed into place. */
    @Override
    public void putChunk(ChunkName chunk, byte[] bytes) throws IOException {
        Path staging = stagingDir().resolve("." + chunk.name() + ".partial");
        try (FileChannel ch = FileChannel.open(staging, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(bytes));
            ch.force(true);
        }
        moveIntoPlace(staging, dir.resolve(chunk.name()));
    }

    @Override
    public List<ChunkName> chunks() throws IOException {
        return names().map(n -> ChunkName.parse(cluster, n)).flatMap(Optional::stream).toList();
    }

    @Override
    public byte[] readChunk(ChunkName chunk) throws IOException {
        return Files.readAllBytes(dir.resolve(chunk.name()));
    }

    @Override
    public void deleteChunk(ChunkName chunk) throws IOException {
        Files.deleteIfExists(dir.resolve(chunk.name()));
    }

    private Stream<String> names() throws IOException {
        if (!Files.isDirectory(dir)) {
            return Stream.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).toList().stream();
        }
    }

    @Override
    public List<BackupName> list() throws IOException {
        return names().map(n -> BackupName.parse(cluster, n)).flatMap(Optional::stream).toList();
    }

    @Override
    public void delete(BackupName backup) throws IOException {
        Files.deleteIfExists(dir.resolve(backup.name()));
    }

    @Override
    public void fetch(BackupName backup, Path target) throws IOException {
        Files.copy(dir.resolve(backup.name()), target, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void close() {
    }
}
