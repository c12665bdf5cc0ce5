package com.storageos.etcd.sandbox.bench;

import static com.storageos.etcd.sandbox.bench.EtcdFloors.ADMINS;
import static com.storageos.etcd.sandbox.bench.EtcdFloors.TIMEOUT;
import static com.storageos.etcd.sandbox.bench.EtcdFloors.addLearnerAndPromote;
import static com.storageos.etcd.sandbox.bench.EtcdFloors.awaitHealthy;
import static com.storageos.etcd.sandbox.bench.EtcdFloors.etcdctl;
import static com.storageos.etcd.sandbox.bench.EtcdFloors.followers;
import static com.storageos.etcd.sandbox.bench.EtcdFloors.millisSince;
import static com.storageos.etcd.sandbox.bench.EtcdFloors.retry;

import com.storageos.etcd.etcdclient.EtcdAdmin;
import com.storageos.etcd.etcdclient.EtcdMember;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

/**
 * etcd's own floors for the repairs and recoveries, done by hand in a tight loop with plain processes (see
 * EtcdFloors): a lost volume or two, a survivor's recovery, a restore from a backup. Each gets its own {@link FloorCluster}.
 */
final class RecoveryFloors {
    private RecoveryFloors() {
    }

    /** A 3-member cluster loses a follower's volume: member remove, add learner, start on an empty dir, promote. */
    static long lostVolumeRepair() throws IOException, InterruptedException {
        return lostVolumesRepair(3, 1);
    }

    /**
     * {@code lost} followers of {@code n} lose their volumes at once: each member removed, then each added
     * back in turn (add learner, start on an empty dir, promote), until every /health is true.
     */
    static long lostVolumesRepair(int n, int lost) throws IOException, InterruptedException {
        try (FloorCluster cluster = new FloorCluster()) {
            cluster.bootstrap(n);
            cluster.awaitHealthy(n, TIMEOUT);
            List<Integer> victims;
            List<Long> lostIds;
            try (EtcdAdmin admin = ADMINS.connect(cluster.clientUrls(n))) {
                victims = followers(cluster, admin, n).subList(0, lost);
                List<EtcdMember> members = admin.listMembers();
                lostIds = victims.stream().map(v -> members.stream().filter(m -> m.name().equals(cluster.member(v).name()))
                        .mapToLong(EtcdMember::id).findFirst().orElseThrow()).toList();
            }
            // Only the survivors' URLs: calls must not wait on the dead endpoints.
            List<String> lostUrls = victims.stream().map(v -> cluster.member(v).clientUrl()).toList();
            List<String> survivors = cluster.clientUrls(n).stream().filter(u -> !lostUrls.contains(u)).toList();
            try (EtcdAdmin admin = ADMINS.connect(survivors)) {
                long start = System.nanoTime();
                for (int v : victims) {
                    cluster.member(v).loseVolume();
                }
                for (long id : lostIds) {
                    retry(() -> {
                        admin.remove(id);
                        return null;
                    });
                }
                for (int v : victims) {
                    addLearnerAndPromote(cluster, admin, cluster.member(v));
                }
                cluster.awaitHealthy(n, TIMEOUT);
                return millisSince(start);
            }
        }
    }

    /**
     * Etcd's floor for a recovery from the survivor by hand: two followers of 3 killed and their volumes lost, then
     * the leader restarted alone with --force-new-cluster, restarted again without it, and the two added back in
     * turn (add learner, start on an empty dir, promote), until every /health is true.
     */
    static long survivorRecovery() throws IOException, InterruptedException {
        try (FloorCluster cluster = new FloorCluster()) {
            cluster.bootstrap(3);
            cluster.awaitHealthy(3, TIMEOUT);
            List<Integer> victims;
            PlainEtcd survivor;
            long survivorId;
            try (EtcdAdmin admin = ADMINS.connect(cluster.clientUrls(3))) {
                victims = followers(cluster, admin, 3);
                survivor = cluster.member(IntStream.range(0, 3).filter(i -> !victims.contains(i)).findFirst().orElseThrow());
                survivorId = admin.listMembers().stream().filter(m -> m.name().equals(survivor.name())).mapToLong(EtcdMember::id)
                        .findFirst().orElseThrow();
            }
            for (int v : victims) {
                cluster.member(v).loseVolume();
            }
            long start = System.nanoTime();
            survivor.close();
            survivor.start(survivor.name() + "=" + survivor.peerUrl(), "existing", List.of("--force-new-cluster"));
            awaitHealthy(survivor);
            try (EtcdAdmin admin = ADMINS.connect(List.of(survivor.clientUrl()))) {
                // What the operator's recovery relies on: etcd removed every other member and kept the survivor's ID.
                List<EtcdMember> alone = admin.listMembers();
                if (alone.size() != 1 || alone.get(0).id() != survivorId) {
                    throw new IllegalStateException("after --force-new-cluster etcd lists " + alone + ", not only " + Long.toHexString(survivorId));
                }
            }
            survivor.close();
            survivor.start(survivor.name() + "=" + survivor.peerUrl(), "existing");
            awaitHealthy(survivor);
            try (EtcdAdmin admin = ADMINS.connect(List.of(survivor.clientUrl()))) {
                for (int v : victims) {
                    addLearnerAndPromote(cluster, admin, cluster.member(v));
                }
            }
            cluster.awaitHealthy(3, TIMEOUT);
            return millisSince(start);
        }
    }

    /**
     * Every member of 3 lost its process and volume; a snapshot taken before is restored by hand: {@code etcdctl snapshot
     * restore} into member 0's data dir, member 0 started on it, then two learners added, started and promoted. The
     * clock starts at the restore: etcd's floor for RestoreFromBackupSystemIT.
     */
    static long backupRestore() throws IOException, InterruptedException {
        try (FloorCluster cluster = new FloorCluster()) {
            cluster.bootstrap(3);
            cluster.awaitHealthy(3, TIMEOUT);
            PlainEtcd seed = cluster.member(0);
            Path snapshot = seed.dataDir().resolveSibling("backup.db");
            etcdctl("--endpoints=" + seed.clientUrl(), "snapshot", "save", snapshot.toString());
            for (int i = 0; i < 3; i++) {
                cluster.member(i).loseVolume();
            }
            long start = System.nanoTime();
            etcdctl("snapshot", "restore", snapshot.toString(), "--name=" + seed.name(), "--initial-cluster=" + seed.name() + "="
                    + seed.peerUrl(), "--initial-advertise-peer-urls=" + seed.peerUrl(), "--data-dir=" + seed.dataDir());
            seed.start(seed.name() + "=" + seed.peerUrl(), "new");
            awaitHealthy(seed);
            try (EtcdAdmin admin = ADMINS.connect(List.of(seed.clientUrl()))) {
                for (int i = 1; i < 3; i++) {
                    addLearnerAndPromote(cluster, admin, cluster.member(i));
                }
            }
            cluster.awaitHealthy(3, TIMEOUT);
            return millisSince(start);
        }
    }
}
