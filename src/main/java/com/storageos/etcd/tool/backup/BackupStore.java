package com.storageos.etcd.tool.backup;

import com.storageos.etcd.api.v1alpha1.spec.PvcDestinationSpec;
import com.storageos.etcd.api.v1alpha1.spec.S3DestinationSpec;
import com.storageos.etcd.toolcontract.ToolEnv;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Where verified snapshots are kept: a directory on a PVC, or an S3 bucket and prefix. */
public interface BackupStore extends AutoCloseable {

    /** A directory for the snapshot being taken; the PVC store stages on the same filesystem so the final rename is atomic. */
    Path stagingDir() throws IOException;

    /** Makes a verified snapshot visible under {@code name}, all or nothing; returns its location. */
    String publish(VerifiedSnapshot snapshot, BackupName name) throws IOException;

    /** This cluster's backups, in no particular order. */
    List<BackupName> list() throws IOException;

    void delete(BackupName backup) throws IOException;

    /** Copies one backup to {@code target}. */
    void fetch(BackupName backup, Path target) throws IOException;

    /** Stores one chunk of a snapshot's change chain; readers see it whole or not at all. */
    void putChunk(ChunkName chunk, byte[] bytes) throws IOException;

    /** This cluster's chunks, in no particular order. */
    List<ChunkName> chunks() throws IOException;

    byte[] readChunk(ChunkName chunk) throws IOException;

    void deleteChunk(ChunkName chunk) throws IOException;

    @Override
    void close();

    /**
     * The store a spec names. A PVC directory is {@code BACKUP_DIR} when set (the pod sets it), else
     * the mount joined with the spec's path or the cluster name.
     */
    static BackupStore open(PvcDestinationSpec pvc, S3DestinationSpec s3, Map<String, String> env, String namespace, String cluster) {
        if (s3 != null) {
            return S3BackupStore.open(s3, env, namespace, cluster);
        }
        if (pvc == null) {
            throw new IllegalArgumentException("no backup destination: set pvc or s3");
        }
        String dir = Optional.ofNullable(env.get(ToolEnv.BACKUP_DIR)).orElseGet(() ->
                ToolEnv.BACKUP_MOUNT + "/" + Optional.ofNullable(pvc.getPath()).orElse(cluster));
        return new DirectoryBackupStore(Path.of(dir), cluster);
    }
}
