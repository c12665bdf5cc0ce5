package com.storageos.etcd.sandbox;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.desired.RenderSettings;
import com.storageos.etcd.etcd.JetcdEtcdAdminFactory;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.naming.Labels;
import com.storageos.etcd.naming.LoopbackMemberAddressing;
import com.storageos.etcd.reconciler.etcdcluster.EtcdClusterReconciler;
import com.storageos.etcd.reconciler.kvbackend.KvBackendReconciler;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The whole sandbox: an in-process API server, the StatefulSet controller and a kubelet that runs
 * pods as local processes, and the real operator (a plain JOSDK {@link Operator}, no Quarkus).
 * The operator differs from production only in its {@link LoopbackMemberAddressing}.
 */
public final class Sandbox implements AutoCloseable {
    public static final String NAMESPACE = "default";
    private final Path root;
    private final LoopbackMemberAddressing addressing;
    private SandboxApiServer api;
    private KubernetesClient client;
    private StatefulSetEmulator statefulSets;
    private ProcessKubelet kubelet;
    private KubernetesClient operatorClient;
    private Operator operator;
    private EtcdClusterReconciler reconciler;

    public Sandbox(Path root, LoopbackMemberAddressing addressing) {
        this.root = root;
        this.addressing = addressing;
    }

    public Sandbox start() throws IOException {
        Files.createDirectories(root);
        api = SandboxApiServer.start();
        client = api.newClient();
        installCrd(Path.of("crds", "etcdclusters.etcd.storageos.com-v1.yml"));
        statefulSets = new StatefulSetEmulator(api.newClient());
        kubelet = new ProcessKubelet(api.newClient(), root, this::podIp);
        startOperator();
        api.writeKubeconfig(root.resolve("kubeconfig"));
        return this;
    }

    /** A fresh operator: new client, new reconciler, empty caches. Its only memory is what it wrote to the API. */
    public synchronized void startOperator() {
        operatorClient = api.newClient();
        RenderSettings settings = new RenderSettings("etcd-operator:sandbox", "gcr.io/etcd-development/etcd", addressing);
        reconciler = new EtcdClusterReconciler(operatorClient, settings, new JetcdEtcdAdminFactory(Duration.ofSeconds(1)),
                Clock.systemUTC(), Duration.ofMinutes(5));
        operator = new Operator(o -> o.withKubernetesClient(operatorClient).withCloseClientOnStop(false));
        operator.register(reconciler);
        operator.register(new KvBackendReconciler(Clock.systemUTC(), addressing));
        operator.start();
    }

    public synchronized void stopOperator() {
        if (operator != null) {
            operator.stop();
            reconciler.close();
            operatorClient.close();
            operator = null;
        }
    }

    public void restartOperator() {
        stopOperator();
        startOperator();
    }

    /** The CRD is optional for the mock server, but with it the status subresource behaves as on a real server. */
    private void installCrd(Path crd) throws IOException {
        if (Files.exists(crd)) {
            try (InputStream in = Files.newInputStream(crd)) {
                client.apiextensions().v1().customResourceDefinitions().load(in).create();
            }
        }
    }

    public EtcdCluster apply(InputStream yaml) {
        EtcdCluster cluster = client.getKubernetesSerialization().unmarshal(yaml, EtcdCluster.class);
        cluster.getMetadata().setNamespace(NAMESPACE);
        return client.resource(cluster).create();
    }

    public Optional<EtcdCluster> cluster(String name) {
        return Optional.ofNullable(client.resources(EtcdCluster.class).inNamespace(NAMESPACE).withName(name).get());
    }

    /** A pod listens on its member's loopback address, which stands in for its pod IP. */
    private String podIp(Pod pod) {
        String cluster = Optional.ofNullable(pod.getMetadata().getLabels()).map(l -> l.get(Labels.CLUSTER)).orElse(null);
        if (cluster == null) {
            return "127.0.0.1";
        }
        ClusterNames names = new ClusterNames(cluster, pod.getMetadata().getNamespace());
        return names.ordinalOf(pod.getMetadata().getName()).map(o -> addressing.memberHost(names, o)).orElse("127.0.0.1");
    }

    public KubernetesClient client() {
        return client;
    }

    public ProcessKubelet kubelet() {
        return kubelet;
    }

    public LoopbackMemberAddressing addressing() {
        return addressing;
    }

    public Path root() {
        return root;
    }

    @Override
    public void close() {
        stopOperator();
        Optional.ofNullable(kubelet).ifPresent(ProcessKubelet::close);
        Optional.ofNullable(statefulSets).ifPresent(StatefulSetEmulator::close);
        Optional.ofNullable(client).ifPresent(KubernetesClient::close);
        Optional.ofNullable(api).ifPresent(SandboxApiServer::close);
    }
}
