package com.storageos.etcd.sandbox;

import com.storageos.etcd.etcd.EtcdAdmin;
import com.storageos.etcd.etcd.EtcdAdminException;
import com.storageos.etcd.etcd.EtcdMember;
import com.storageos.etcd.etcd.JetcdEtcdAdminFactory;
import com.storageos.etcd.etcd.MemberAddResult;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

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

    /** A 3-member cluster loses a follower's volume: member remove, add learner, start on an empty dir, promote. */
    static long lostVolumeRepair() throws IOException, InterruptedException {
        try (FloorCluster cluster = new FloorCluster()) {
            cluster.bootstrap(3);
            cluster.awaitHealthy(3, TIMEOUT);
            int victim;
            long lostId;
            try (EtcdAdmin admin = ADMINS.connect(cluster.clientUrls(3))) {
                victim = follower(cluster, admin);
                String name = cluster.member(victim).name();
                lostId = admin.listMembers().stream().filter(m -> m.name().equals(name)).mapToLong(EtcdMember::id).findFirst().orElseThrow();
            }
            // Only the survivors' URLs: calls must not wait on the dead endpoint.
            List<String> survivors = cluster.clientUrls(3).stream().filter(u -> !u.equals(cluster.member(victim).clientUrl())).toList();
            try (EtcdAdmin admin = ADMINS.connect(survivors)) {
                PlainEtcd lost = cluster.member(victim);
                long start = System.nanoTime();
                lost.loseVolume();
                retry(() -> {
                    admin.remove(lostId);
                    return null;
                });
                addLearnerAndPromote(cluster, admin, lost);
                cluster.awaitHealthy(3, TIMEOUT);
                return millisSince(start);
            }
        }
    }

    private static void addLearnerAndPromote(FloorCluster cluster, EtcdAdmin admin, PlainEtcd next) throws InterruptedException {
        MemberAddResult added = retry(() -> admin.addLearner(next.peerUrl()));
        cluster.join(next, added);
        retry(() -> {
            admin.promote(added.added().id());
            return null;
        });
    }

    /** The ordinal of a member that is not the leader, the highest such one. */
    private static int follower(FloorCluster cluster, EtcdAdmin admin) {
        for (int i = 2; i > 0; i--) {
            if (!admin.status(cluster.member(i).clientUrl()).isLeader()) {
                return i;
            }
        }
        return 0;
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
