package com.storageos.etcd.tool.backup;

import java.io.IOException;
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
        Files.move(snapshot.file(), target, StandardCopyOption.ATOMIC_MOVE);
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException notSupported) {
            // Some filesystems refuse to open a directory for sync; the rename itself is still atomic.
        }
        return target.toString();
    }

    @Override
    public List<BackupName> list() throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile)
                    .map(p -> BackupName.parse(cluster, p.getFileName().toString()))
                    .flatMap(Optional::stream).toList();
        }
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
