package com.storageos.etcd.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.naming.LoopbackMemberAddressing;
import com.storageos.etcd.reconciler.etcdcluster.ContinuousWriter;
import com.storageos.etcd.sandbox.node.StorageOSStandIn;
import io.etcd.jetcd.Client;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * One EtcdCluster in its own sandbox, for the system tests: its own loopback prefix and directory,
 * and the few things a person does to it (create, scale, wait for Ready, read back every write).
 */
public final class SandboxCluster implements AutoCloseable {
    private final Sandbox sandbox;
    private final ClusterNames names;
    private StorageOSStandIn storageos;

    private SandboxCluster(Sandbox sandbox, String name) {
        this.sandbox = sandbox;
        this.names = new ClusterNames(name, Sandbox.NAMESPACE);
    }

    public static SandboxCluster start(Path root, String name, Path... crds) throws Exception {
        return start(root, name, List.of(), crds);
    }

    /** @param operatorLauncher the command every operator replica starts through (see {@link Sandbox#withOperatorLauncher}) */
    public static SandboxCluster start(Path root, String name, List<String> operatorLauncher, Path... crds) throws Exception {
        return start(root, name, sandbox -> {
            sandbox.withOperatorLauncher(operatorLauncher);
            List.of(crds).forEach(sandbox::withCrd);
        });
    }

    /** With the operator's chart installed with {@code chartValues} (see {@link Sandbox#withChartValue}). */
    public static SandboxCluster startWithChartValues(Path root, String name, Map<String, Object> chartValues) throws Exception {
        return start(root, name, sandbox -> chartValues.forEach(sandbox::withChartValue));
    }

    private static SandboxCluster start(Path root, String name, Consumer<Sandbox> configure) throws Exception {
        var addressing = new LoopbackMemberAddressing(ThreadLocalRandom.current().nextInt(2, 250), ThreadLocalRandom.current().nextInt(1, 250));
        Sandbox sandbox = new Sandbox(root, addressing);
        configure.accept(sandbox);
        try {
            return new SandboxCluster(sandbox.start(), name);
        } catch (RuntimeException | IOException e) {
            sandbox.close();
            throw e;
        }
    }

    /**
     * With StorageOS's CRD, its namespace {@code storageos} and the {@link StorageOSStandIn} over {@code storageosNodes} Nodes (0: its
     * ConfigMap and DaemonSet, no node process).
     */
    public static SandboxCluster startWithStorageOS(Path root, String name, int storageosNodes) throws Exception {
        SandboxCluster cluster = start(root, name, Path.of("src", "test", "resources", "storageos", "storageoscluster-crd.yaml"));
        try {
            cluster.sandbox.client().namespaces().resource(new NamespaceBuilder().withNewMetadata()
                    .withName("storageos").endMetadata().build()).create();
            cluster.storageos = new StorageOSStandIn(cluster.sandbox, storageosNodes);
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    public StorageOSStandIn storageos() {
        return storageos;
    }

    public Sandbox sandbox() {
        return sandbox;
    }

    public ClusterNames names() {
        return names;
    }

    public void create(String yaml) {
        sandbox.apply(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    /** Through the scale subresource, as {@code kubectl scale} does. */
    public void scale(int replicas) {
        sandbox.scale(names.cluster(), replicas);
    }

    /** A merge patch of spec.replicas, as {@code kubectl patch} does: no resourceVersion to conflict with the operator's status writes. */
    public void patchReplicas(int replicas) {
        sandbox.client().resources(EtcdCluster.class).inNamespace(Sandbox.NAMESPACE).withName(names.cluster())
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":" + replicas + "}}");
    }

    public EtcdCluster cluster() {
        return sandbox.cluster(names.cluster()).orElseThrow();
    }

    /** Ready=True with nothing pending, and exactly {@code members} healthy voters. */
    public void awaitReady(int members, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            EtcdCluster c = cluster();
            assertThat(Chaos.ready(c)).as("Ready=True with nothing pending: %s", c.getStatus() == null ? null : c.getStatus().getConditions()).isTrue();
            assertThat(c.getStatus().getMembers()).hasSize(members).allSatisfy(m -> {
                assertThat(m.getRole()).isEqualTo("Voter");
                assertThat(m.getHealthy()).isTrue();
            });
        });
    }

    public List<String> clientUrls() {
        return IntStream.range(0, 5).mapToObj(i -> sandbox.addressing().clientUrl(names, i, false)).toList();
    }

    /** Reads back every key the writer had acknowledged, through the first three members. */
    public void assertEveryAcknowledgedWriteReadable(List<String> keys, int atLeast) throws Exception {
        assertThat(keys).hasSizeGreaterThan(atLeast);
        try (Client reader = Client.builder().endpoints(clientUrls().subList(0, 3).stream().map(URI::create).toArray(URI[]::new)).build()) {
            for (String key : keys) {
                assertThat(reader.getKVClient().get(ContinuousWriter.bytes(key)).get(2, TimeUnit.SECONDS).getKvs())
                        .as("acknowledged write %s", key).hasSize(1);
            }
        }
    }

    /** As a person does it: kubectl annotate, so that the API server records kubectl as the writer. */
    public void annotate(String annotation, String value) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("kubectl", "--kubeconfig", sandbox.kubeconfig().toString(), "-n", Sandbox.NAMESPACE,
                "annotate", "--overwrite", "etcdcluster/" + names.cluster(), annotation + "=" + value).redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
    }

    public static String yaml(String name, int replicas, String extraSpec) {
        return """
                apiVersion: etcd.storageos.com/v1alpha1
                kind: EtcdCluster
                metadata:
                  name: %s
                spec:
                  replicas: %d
                """.formatted(name, replicas) + extraSpec;
    }

    public static long millisSince(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos).toMillis();
    }

    @Override
    public void close() {
        if (storageos != null) {
            storageos.close();
        }
        sandbox.close();
    }
}
