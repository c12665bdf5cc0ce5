package com.storageos.etcd.sandbox;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.spec.JoinSpec;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.naming.Labels;
import com.storageos.etcd.naming.LoopbackAddressing;
import com.storageos.etcd.sandbox.node.BootstrapInit;
import com.storageos.etcd.sandbox.node.SandboxNode;
import com.storageos.etcd.testing.kube.ControlPlane;
import com.storageos.etcd.testing.kube.OperatorInstall;
import com.storageos.etcd.testing.kube.OperatorProcess;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The whole sandbox: a real control plane (kube-apiserver, kube-controller-manager), the operator
 * installed from its chart and run as the packaged jar under the chart's RBAC, and a
 * {@link SandboxNode} that runs the member pods as local etcd processes. The operator differs from
 * production only in its loopback member addressing ({@code 127.<a>.<b>.1<ordinal>}).
 */
public final class Sandbox implements AutoCloseable {
    public static final String NAMESPACE = "default";
    private static final Duration OPERATOR_READY = Duration.ofSeconds(120);
    private final Path root;
    private final LoopbackAddressing addressing;
    private ControlPlane plane;
    private OperatorInstall install;
    private SandboxNode node;
    private OperatorProcess operator;
    private int operatorGeneration;
    private final List<Path> crds = new ArrayList<>();
    private List<String> operatorLauncher = List.of();
    private final AtomicInteger podIpsGiven = new AtomicInteger();
    private final Map<String, Object> chartValues = new LinkedHashMap<>();

    public Sandbox(Path root, LoopbackAddressing addressing) {
        this.root = root;
        this.addressing = addressing;
    }

    /** Another CRD the cluster has before the operator starts (say StorageOS's). */
    public Sandbox withCrd(Path crd) {
        crds.add(crd);
        return this;
    }

    /** Every operator replica starts through this command (see {@link OperatorProcess#start(OperatorInstall, String, Map, List)}). */
    public Sandbox withOperatorLauncher(List<String> launcher) {
        operatorLauncher = List.copyOf(launcher);
        return this;
    }

    /** A value of the operator's chart (Helm's --set), say an operator setting through {@code extraEnv}. */
    public Sandbox withChartValue(String key, Object value) {
        chartValues.put(key, value);
        return this;
    }

    public Sandbox start() throws IOException {
        Files.createDirectories(root);
        long t0 = System.nanoTime();
        plane = ControlPlane.start(true);
        long t1 = System.nanoTime();
        Files.copy(plane.kubeconfig(), kubeconfig(), StandardCopyOption.REPLACE_EXISTING);
        install = OperatorInstall.install(plane, chartValues);
        crds.forEach(crd -> OperatorInstall.applyCrd(plane, crd));
        node = new SandboxNode(plane, root, this::podIp);
        long t2 = System.nanoTime();
        Duration ready = startOperator();
        // Where a scenario's set-up time goes, for whoever reads a slow CI run.
        System.out.printf("sandbox: control plane %d ms, chart %d ms, operator ready %d ms%n",
                (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, ready.toMillis());
        return this;
    }

    /** A fresh operator process under a new pod name (as a Deployment's replacement pod would have). */
    public synchronized Duration startOperator() {
        operator = startReplica("etcd-operator-" + (++operatorGeneration));
        return operator.awaitReady(OPERATOR_READY);
    }

    /** One more operator replica, as the chart's second pod: it waits for the Lease. Not awaited; the caller stops it. */
    public OperatorProcess startReplica(String name) {
        return OperatorProcess.start(install, name, Map.of("ETCD_OPERATOR_MEMBER_LOOPBACK_PREFIX", addressing.prefix()), operatorLauncher);
    }

    /** SIGTERM (a rollout or a drain) and a new replica: the Lease is released, the new one leads at once. */
    public synchronized void restartOperator() {
        operator.close();
        startOperator();
    }

    /** As {@link #restartOperator}, returning how long the new replica took to be ready. */
    public synchronized Duration startOperatorAfterStop() {
        operator.close();
        return startOperator();
    }

    /** kill -9 (the operator's node died) and a new replica, which must wait out the old replica's Lease. */
    public synchronized void killOperator() {
        operator.kill();
        startOperator();
    }

    public EtcdCluster apply(InputStream yaml) {
        EtcdCluster cluster = client().getKubernetesSerialization().unmarshal(yaml, EtcdCluster.class);
        cluster.getMetadata().setNamespace(NAMESPACE);
        return client().resource(cluster).create();
    }

    /** Through the scale subresource, as {@code kubectl scale} does. */
    public void scale(String name, int replicas) {
        client().resources(EtcdCluster.class).inNamespace(NAMESPACE).withName(name).scale(replicas);
    }

    /**
     * Sets one annotation with a merge patch, as {@code kubectl annotate} does: it carries no resourceVersion, so the
     * operator's status writes cannot make it fail with a conflict.
     */
    public void annotate(String name, String annotation, String value) {
        client().resources(EtcdCluster.class).inNamespace(NAMESPACE).withName(name).patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"annotations\":{\"" + annotation + "\":\"" + value + "\"}}}");
    }

    public Optional<EtcdCluster> cluster(String name) {
        return Optional.ofNullable(client().resources(EtcdCluster.class).inNamespace(NAMESPACE).withName(name).get());
    }

    /**
     * A member pod's IP is its member's loopback address, which also stands in for its stable DNS name. Only a migration with
     * peerAddressing PodIP tells the two apart, so there each member pod gets an IP of its own, {@code <prefix>.<120-249>}, a new
     * one for every pod as in a pod network, and its etcd listens there as well ({@link BootstrapInit}), as on 0.0.0.0 in a pod.
     */
    private String podIp(Pod pod) {
        String cluster = Optional.ofNullable(pod.getMetadata().getLabels()).map(l -> l.get(Labels.CLUSTER)).orElse(null);
        if (cluster == null) {
            return SandboxNode.NODE_IP;
        }
        ClusterNames names = new ClusterNames(cluster, pod.getMetadata().getNamespace());
        Optional<String> member = names.ordinalOf(pod.getMetadata().getName()).map(o -> addressing.memberHost(names, o));
        if (member.isEmpty()) {
            return SandboxNode.NODE_IP;
        }
        boolean podIpPeers = Optional.ofNullable(client().resources(EtcdCluster.class).inNamespace(names.namespace())
                .withName(cluster).get()).map(c -> c.getSpec().getBootstrap()).map(b -> b.getJoin())
                .filter(JoinSpec::advertisesPodIps).isPresent();
        // Above the member addresses (.10 to .19), so that no pod IP is another member's address.
        return podIpPeers ? member.get().replaceAll("\\.[0-9]+$", "") + "." + (120 + podIpsGiven.getAndIncrement() % 130) : member.get();
    }

    /** The admin client (system:masters): what a person with kubectl does. */
    public KubernetesClient client() {
        return plane.admin();
    }

    public ControlPlane plane() {
        return plane;
    }

    public SandboxNode node() {
        return node;
    }

    public OperatorProcess operator() {
        return operator;
    }

    public LoopbackAddressing addressing() {
        return addressing;
    }

    public Path root() {
        return root;
    }

    /** An admin kubeconfig for kubectl. */
    public Path kubeconfig() {
        return root.resolve("kubeconfig");
    }

    @Override
    public void close() {
        Optional.ofNullable(operator).ifPresent(OperatorProcess::close);
        Optional.ofNullable(node).ifPresent(SandboxNode::close);
        Optional.ofNullable(plane).ifPresent(ControlPlane::close);
    }
}
