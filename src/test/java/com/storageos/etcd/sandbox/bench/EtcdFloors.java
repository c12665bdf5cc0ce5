package com.storageos.etcd.sandbox.bench;

import com.storageos.etcd.etcdclient.EtcdAdmin;
import com.storageos.etcd.etcdclient.EtcdAdminException;
import com.storageos.etcd.etcdclient.EtcdMember;
import com.storageos.etcd.etcdclient.JetcdEtcdAdminFactory;
import com.storageos.etcd.etcdclient.MemberAddResult;
import com.storageos.etcd.testing.EtcdBinaries;
import java.io.IOException;
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
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final JetcdEtcdAdminFactory ADMINS = new JetcdEtcdAdminFactory(Duration.ofSeconds(1));

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

    static void etcdctl(String... args) throws IOException, InterruptedException {
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

    static void awaitHealthy(PlainEtcd member) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!member.healthy()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(member.name() + " not healthy within " + TIMEOUT);
            }
            Thread.sleep(10);
        }
    }

    static void addLearnerAndPromote(FloorCluster cluster, EtcdAdmin admin, PlainEtcd next) throws InterruptedException {
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
    static List<Integer> followers(FloorCluster cluster, EtcdAdmin admin, int n) {
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
    static <T> T retry(Supplier<T> call) throws InterruptedException {
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
