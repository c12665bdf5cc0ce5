package com.storageos.etcd.sandbox.bench;

import com.storageos.etcd.etcdclient.EtcdAdmin;
import com.storageos.etcd.etcdclient.EtcdAdminException;
import com.storageos.etcd.etcdclient.EtcdMember;
import com.storageos.etcd.etcdclient.JetcdEtcdAdminFactory;
import com.storageos.etcd.etcdclient.MemberAddResult;
import com.storageos.etcd.testing.EtcdBinaries;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * etcd's own floors, done by hand in a tight loop with plain processes: what the operator's times
 * should be compared to. Each measurement gets its own {@link FloorCluster}.
 */
final class EtcdFloors {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final JetcdEtcdAdminFactory ADMINS = new JetcdEtcdAdminFactory(Duration.ofSeconds(1));

    private EtcdFloors() {
    }

    /** N members started together with a static --initial-cluster, until every /health is true. */
    static long staticBootstrap(int n) throws IOException, InterruptedException {
        try (FloorCluster cluster = new FloorCluster()) {
            long start = System.nanoTime();
            cluster.bootstrap(n);
            cluster.awaitHealthy(n, TIMEOUT);
            return millisSince(start);
        }
    }

    /**
     * Start {@code initial} members, then add learners one at a time (add, start as "existing", promote)
     * up to {@code target}, until every /health is true. The clock includes the initial bootstrap only if asked.
     */
    static long learnerPath(int initial, int target, boolean timeBootstrap) throws IOException, InterruptedException {
        try (FloorCluster cluster = new FloorCluster()) {
            long start = System.nanoTime();
            cluster.bootstrap(initial);
            cluster.awaitHealthy(initial, TIMEOUT);
            if (!timeBootstrap) {
                start = System.nanoTime();
            }
            try (EtcdAdmin admin = ADMINS.connect(cluster.clientUrls(initial))) {
                for (int i = initial; i < target; i++) {
                    addLearnerAndPromote(cluster, admin, cluster.member(i));
                }
            }
            cluster.awaitHealthy(target, TIMEOUT);
            return millisSince(start);
        }
    }

    /**
     * A follower of 3 is killed (kill -9) and started again on its data: etcd's floor for a container
     * restarted in place and for a new pod on the same volume.
     */
    static long restartOnData() throws IOException, InterruptedException {
        try (FloorCluster cluster = new FloorCluster()) {
            cluster.bootstrap(3);
            cluster.awaitHealthy(3, TIMEOUT);
            PlainEtcd victim;
            try (EtcdAdmin admin = ADMINS.connect(cluster.clientUrls(3))) {
                victim = cluster.member(followers(cluster, admin, 3).get(0));
            }
            long start = System.nanoTime();
            victim.close();
            victim.start(cluster.initialCluster(3), "new"); // etcd ignores the bootstrap flags on existing data
            cluster.awaitHealthy(3, TIMEOUT);
            return millisSince(start);
        }
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

    private static void etcdctl(String... args) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of(EtcdBinaries.tested().etcdctl()));
        line.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true);
        builder.environment().put("ETCDCTL_API", "3");
        Process p = builder.start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException("etcdctl " + String.join(" ", args) + " failed: " + output);
        }
    }

    private static void awaitHealthy(PlainEtcd member) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!member.healthy()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(member.name() + " not healthy within " + TIMEOUT);
            }
            Thread.sleep(10);
        }
    }

    private static void addLearnerAndPromote(FloorCluster cluster, EtcdAdmin admin, PlainEtcd next) throws InterruptedException {
        MemberAddResult added = retry(() -> {
            // An add whose answer timed out may have been applied: a retry then finds the learner instead of adding it twice.
            List<EtcdMember> members = admin.listMembers();
            return members.stream().filter(m -> m.peerUrls().contains(next.peerUrl())).findFirst()
                    .map(m -> new MemberAddResult(m, members)).orElseGet(() -> admin.addLearner(next.peerUrl()));
        });
        cluster.join(next, added);
        retry(() -> {
            admin.promote(added.added().id());
            return null;
        });
    }

    /** The ordinals of the members that are not the leader, highest first. */
    private static List<Integer> followers(FloorCluster cluster, EtcdAdmin admin, int n) {
        return IntStream.iterate(n - 1, i -> i >= 0, i -> i - 1).boxed()
                .filter(i -> {
                    try {
                        return !retry(() -> admin.status(cluster.member(i).clientUrl())).isLeader();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }).toList();
    }

    /** Retries only what etcd refuses for now (learner not caught up, cluster unhealthy, unavailable). */
    private static <T> T retry(Supplier<T> call) throws InterruptedException {
        long start = System.nanoTime();
        EtcdAdminException.Kind refused = null;
        while (true) {
            try {
                T result = call.get();
                if (refused != null) {
                    System.out.printf("bench:   etcd refused with %s for %d ms before accepting%n", refused, millisSince(start));
                }
                return result;
            } catch (EtcdAdminException e) {
                if (!e.isTransient() || System.nanoTime() - start > TIMEOUT.toNanos()) {
                    throw e;
                }
                refused = e.kind();
                Thread.sleep(20);
            }
        }
    }

    static long millisSince(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
    }
}
