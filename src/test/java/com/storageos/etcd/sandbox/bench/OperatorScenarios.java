package com.storageos.etcd.sandbox.bench;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.status.MemberStatus;
import com.storageos.etcd.etcdclient.EtcdAdmin;
import com.storageos.etcd.etcdclient.EtcdAdminException;
import com.storageos.etcd.etcdclient.EtcdMember;
import com.storageos.etcd.etcdclient.JetcdEtcdAdminFactory;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.sandbox.Chaos;
import com.storageos.etcd.sandbox.Sandbox;
import com.storageos.etcd.sandbox.SandboxCluster;
import com.storageos.etcd.sandbox.node.SandboxNode;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The operator's side of the benchmark: each scenario in a fresh sandbox (own loopback prefix, own temp
 * dir), timed from the change to Ready=True with nothing pending, with a writer measuring the longest outage.
 */
final class OperatorScenarios {
    static final String NAME = "bench";
    private static final ClusterNames NAMES = new ClusterNames(NAME, Sandbox.NAMESPACE);
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final JetcdEtcdAdminFactory ADMINS = new JetcdEtcdAdminFactory(Duration.ofSeconds(1));

    /** A time and the longest write outage seen meanwhile, in ms. */
    record Result(long millis, long outageMillis) {
    }

    private OperatorScenarios() {
    }

    /** Apply an EtcdCluster with n replicas and wait until it is Ready with n healthy voters. */
    static Result ready(int n) throws Exception {
        try (Run run = new Run(); BackgroundWriter writer = run.writer()) {
            long start = System.nanoTime();
            run.apply(n);
            run.await(c -> ready(c, n));
            return new Result(EtcdFloors.millisSince(start), writer.longestOutageMillis());
        }
    }

    /** A Ready 3-member cluster is scaled to 5 by a merge patch of spec.replicas. */
    static Result threeToFive() throws Exception {
        try (Run run = new Run()) {
            run.apply(3);
            run.await(c -> ready(c, 3));
            try (BackgroundWriter writer = run.writer()) {
                Thread.sleep(1000);
                long start = System.nanoTime();
                run.sandbox.client().resources(EtcdCluster.class).inNamespace(Sandbox.NAMESPACE).withName(NAME)
                        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":5}}");
                run.await(c -> ready(c, 5));
                return new Result(EtcdFloors.millisSince(start), writer.longestOutageMillis());
            }
        }
    }

    /** What happens to one member pod of the sandbox node. */
    interface Fault {
        void hit(SandboxNode node, String pod) throws Exception;
    }

    /**
     * {@code victims} followers of a Ready cluster of {@code members} meet {@code fault} at once; timed until
     * Ready again with etcd agreeing: every member a started, healthy voter, each victim under a new member
     * ID when its data was lost ({@code newIds}), else under its old one in a new pod or container.
     */
    static Result repair(int members, int victims, Fault fault, boolean newIds) throws Exception {
        try (Run run = new Run()) {
            run.apply(members);
            EtcdCluster before = run.await(c -> ready(c, members));
            try (BackgroundWriter writer = run.writer()) {
                Thread.sleep(1000);
                List<MemberStatus> hit = before.getStatus().getMembers().stream().filter(m -> !Boolean.TRUE.equals(m.getLeader()))
                        .sorted(Comparator.comparing(MemberStatus::getName).reversed()).limit(victims).toList();
                Map<String, String> pods = hit.stream().collect(Collectors.toMap(MemberStatus::getName, m -> run.podIncarnation(m.getName())));
                long start = System.nanoTime();
                for (MemberStatus m : hit) {
                    fault.hit(run.sandbox.node(), m.getName());
                }
                // The status alone can still say Ready for a moment after the fault: the pod must have been
                // restarted or replaced, and etcd itself must agree.
                run.await(c -> ready(c, members) && hit.stream().allMatch(v -> !run.podIncarnation(v.getName()).equals(pods.get(v.getName()))
                        && c.getStatus().getMembers().stream().anyMatch(m -> v.getName().equals(m.getName()) && m.getId() != null
                                && m.getId().equals(v.getId()) != newIds))
                        && run.etcdAgrees(members, hit.stream().collect(Collectors.toMap(MemberStatus::getName, MemberStatus::getId)), newIds));
                return new Result(EtcdFloors.millisSince(start), writer.longestOutageMillis());
            }
        }
    }

    static boolean ready(EtcdCluster c, int members) {
        return Chaos.ready(c) && c.getStatus().getMembers() != null && c.getStatus().getMembers().size() == members
                && c.getStatus().getMembers().stream().allMatch(m -> "Voter".equals(m.getRole()) && Boolean.TRUE.equals(m.getHealthy()));
    }

    /** One fresh sandbox; closing it stops the operator and every etcd process and deletes its dir. */
    private static final class Run implements AutoCloseable {
        final Path dir;
        final Sandbox sandbox;

        Run() throws IOException {
            dir = Files.createTempDirectory("etcd-bench-sandbox-");
            sandbox = new Sandbox(dir, SandboxBenchmark.freshAddressing());
            try {
                sandbox.start();
            } catch (RuntimeException | IOException e) {
                close();
                throw e;
            }
        }

        void apply(int replicas) {
            String yaml = SandboxCluster.yaml(NAME, replicas, "");
            sandbox.apply(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
        }

        BackgroundWriter writer() {
            List<String> urls = IntStream.range(0, 5).mapToObj(i -> sandbox.addressing().clientUrl(NAMES, i, false)).toList();
            return new BackgroundWriter(urls);
        }

        /** etcd's own view: n started voters, each victim under a new ID (or its old one), every member's linearizable read answered. */
        boolean etcdAgrees(int n, Map<String, String> oldIdsHex, boolean newIds) {
            List<String> urls = IntStream.range(0, n).mapToObj(i -> sandbox.addressing().clientUrl(NAMES, i, false)).toList();
            try (EtcdAdmin admin = ADMINS.connect(urls)) {
                List<EtcdMember> members = admin.listMembers();
                return members.size() == n && members.stream().allMatch(m -> m.started() && !m.learner())
                        && oldIdsHex.entrySet().stream().allMatch(v -> members.stream()
                                .anyMatch(m -> m.name().equals(v.getKey()) && m.idHex().equals(v.getValue()) != newIds))
                        && urls.stream().allMatch(admin::isHealthy);
            } catch (EtcdAdminException e) {
                return false;
            }
        }

        /** The pod's UID and its etcd container's restart count: changes when the container or the pod is restarted. */
        String podIncarnation(String name) {
            var pod = sandbox.client().pods().inNamespace(Sandbox.NAMESPACE).withName(name).get();
            if (pod == null) {
                return "";
            }
            int restarts = pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null ? 0
                    : pod.getStatus().getContainerStatuses().stream().mapToInt(s -> s.getRestartCount() == null ? 0 : s.getRestartCount()).sum();
            return pod.getMetadata().getUid() + "/" + restarts;
        }

        EtcdCluster await(Predicate<EtcdCluster> condition) throws InterruptedException {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                EtcdCluster c = sandbox.cluster(NAME).orElse(null);
                if (c != null && condition.test(c)) {
                    return c;
                }
                Thread.sleep(100);
            }
            throw new IllegalStateException(NAME + " did not get there within " + TIMEOUT + "; logs under " + dir);
        }

        @Override
        public void close() throws IOException {
            sandbox.close();
            SandboxNode.deleteTree(dir);
        }
    }
}
