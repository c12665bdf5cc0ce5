package com.storageos.etcd.tool.restore;

import com.storageos.etcd.api.v1alpha1.spec.RestoreSpec;
import com.storageos.etcd.tool.backup.BackupName;
import com.storageos.etcd.tool.backup.BackupStore;
import com.storageos.etcd.tool.backup.VerifiedSnapshot;
import com.storageos.etcd.toolcontract.ToolEnv;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The restore hook of the member bootstrap: fetch the named or latest backup, verify its sha256
 * trailer, and lay it out as a fresh one-member cluster's data dir, as {@code etcdctl snapshot restore}
 * does (new cluster ID, this member's name and peer URL). It runs etcd's own restore ({@link RestoreBinary}):
 * rewriting etcd's bbolt backend and raft WAL in Java would be a second, untested etcd. The snapshot streams from
 * the store to a file and is verified in one pass, so memory stays flat whatever the snapshot's size.
 */
public final class SnapshotRestorer {
    private final RestoreBinary binary;

    public SnapshotRestorer(RestoreBinary binary) {
        this.binary = binary;
    }

    /**
     * Restores into {@code dataDir}, which must not exist yet. The data dir appears only when
     * complete: etcdctl writes a sibling dir that is then renamed into place.
     *
     * @param env needs {@code POD_NAMESPACE} and {@code ETCD_CLUSTER_NAME}, plus S3 credentials for an S3 source
     * @return the backup that was restored
     */
    public BackupName restore(RestoreSpec spec, Map<String, String> env, String memberName, String peerUrl,
                              String initialClusterToken, Path dataDir) throws IOException, InterruptedException {
        try (BackupStore store = open(spec, env)) {
            BackupName chosen = choose(store.list(), spec.getBackup());
            restore(store, chosen, memberName, peerUrl, initialClusterToken, dataDir);
            return chosen;
        }
    }

    /** Restores {@code chosen} from {@code store} into {@code dataDir}, which must not exist yet, as it is. */
    public void restore(BackupStore store, BackupName chosen, String memberName, String peerUrl, String initialClusterToken,
                        Path dataDir) throws IOException, InterruptedException {
        if (Files.exists(dataDir)) {
            throw new IOException(dataDir + " already exists; a restore only seeds an empty member");
        }
        Path work = Files.createDirectories(dataDir.toAbsolutePath().getParent());
        Path snapshot = work.resolve(".restore-" + memberName + ".db");
        Path staging = work.resolve(".restore-" + memberName + ".data");
        deleteTree(staging);
        try {
            store.fetch(chosen, snapshot);
            VerifiedSnapshot.verify(snapshot);
            layOut(snapshot, memberName, peerUrl, initialClusterToken, staging);
            Files.move(staging, dataDir, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(snapshot);
            deleteTree(staging);
        }
    }

    /** The store the spec names, of the cluster it names, this one unless set. */
    public static BackupStore open(RestoreSpec spec, Map<String, String> env) throws IOException {
        String cluster = spec.getClusterName() != null ? spec.getClusterName() : env.get(ToolEnv.CLUSTER_NAME);
        return BackupStore.open(spec.getPvc(), spec.getS3(), env, env.get(ToolEnv.NAMESPACE), cluster);
    }

    /** Downloads the backup the spec names ({@code latest}: the newest) of the cluster it names, this one unless set, to {@code target}. */
    public static BackupName fetch(RestoreSpec spec, Map<String, String> env, Path target) throws IOException {
        try (BackupStore store = open(spec, env)) {
            BackupName chosen = choose(store.list(), spec.getBackup());
            store.fetch(chosen, target);
            return chosen;
        }
    }

    static BackupName choose(List<BackupName> backups, String wanted) throws IOException {
        if (wanted == null || wanted.equals("latest")) {
            return backups.stream().max(Comparator.naturalOrder())
                    .orElseThrow(() -> new IOException("no backup found to restore"));
        }
        return backups.stream().filter(b -> b.name().equals(wanted)).findFirst()
                .orElseThrow(() -> new IOException("backup " + wanted + " not found among " + backups.size() + " backups"));
    }

    /** Lays out a verified snapshot file as this member's data dir with etcd's own restore. */
    public void layOut(Path snapshot, String name, String peerUrl, String token, Path dataDir)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(binary.path(), "snapshot", "restore", snapshot.toString(),
                "--name=" + name, "--initial-cluster=" + name + "=" + peerUrl,
                "--initial-advertise-peer-urls=" + peerUrl, "--initial-cluster-token=" + token,
                "--data-dir=" + dataDir).redirectErrorStream(true);
        pb.environment().put("ETCDCTL_API", "3");
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException(binary.path() + " snapshot restore failed: " + output.strip().lines().reduce((a, b) -> b).orElse(""));
        }
    }

    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
