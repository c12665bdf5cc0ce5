package com.storageos.etcd.sandbox.bench;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.etcdclient.EtcdAdmin;
import com.storageos.etcd.etcdclient.EtcdAdminException;
import com.storageos.etcd.etcdclient.EtcdMember;
import com.storageos.etcd.etcdclient.JetcdEtcdAdminFactory;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.sandbox.Sandbox;
import com.storageos.etcd.sandbox.SandboxCluster;
import com.storageos.etcd.sandbox.node.SandboxNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** One fresh sandbox; closing it stops the operator and every etcd process and deletes its dir. */
final class BenchRun implements AutoCloseable {
    static final String NAME = "bench";
    private static final ClusterNames NAMES = new ClusterNames(NAME, Sandbox.NAMESPACE);
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final JetcdEtcdAdminFactory ADMINS = new JetcdEtcdAdminFactory(Duration.ofSeconds(1));

    final Path dir;
    final Sandbox sandbox;

    BenchRun() throws IOException {
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
        apply(replicas, "");
    }

    /** @param extraSpec more of the spec, indented under it */
    void apply(int replicas, String extraSpec) {
        String yaml = SandboxCluster.yaml(NAME, replicas, extraSpec);
        sandbox.apply(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    BackgroundWriter writer() {
        List<String> urls = IntStream.range(0, 5).mapToObj(i -> sandbox.addressing().clientUrl(NAMES, i, false)).toList();
        return new BackgroundWriter(urls);
    }

    Timeline timeline() throws InterruptedException {
        Map<String, String> health = IntStream.range(0, 5).boxed().collect(Collectors.toMap(NAMES::member,
                i -> sandbox.addressing().clientUrl(NAMES, i, false)));
        return new Timeline(sandbox.client(), Sandbox.NAMESPACE, health);
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

    /** A request annotation, as a person sets it. */
    void annotate(String annotation, String value) {
        sandbox.client().resources(EtcdCluster.class).inNamespace(Sandbox.NAMESPACE).withName(NAME)
                .edit(c -> {
                    c.getMetadata().getAnnotations().put(annotation, value);
                    return c;
                });
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
