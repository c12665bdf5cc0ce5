package com.storageos.etcd.sandbox.node;

import com.storageos.etcd.membership.StorageOSNodes;
import com.storageos.etcd.sandbox.Sandbox;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * StorageOS as it behaves towards etcd, for the sandbox and its system tests. Its operator's part runs here: for each
 * StorageOSCluster it writes spec.kvBackend.address into the ConfigMap storageos-node-config (key ETCD_ENDPOINTS) and runs the
 * node DaemonSet storageos-daemonset (labels app=storageos, app.kubernetes.io/component=control-plane, updateStrategy OnDelete,
 * the ConfigMap through envFrom), as storageos/operator's node_operand and channels/packages/node do; no rollout follows an
 * address change. A StorageOSCluster deleted (the Recreate policy) takes the DaemonSet with it, and its successor starts a new
 * one. The sandbox node plays the StorageOS Nodes and runs each node pod as a {@link StorageOSNodeProcess}, which reads
 * ETCD_ENDPOINTS only when it starts. With the sandbox's loopback addressing the client Service is member 0's address.
 */
public final class StorageOSStandIn implements AutoCloseable {
    static final String CONFIG_MAP = "storageos-node-config";
    static final String DAEMON_SET = "storageos-daemonset";
    private static final String NODE_LABEL = "sandbox.storageos.com/storageos-node";
    /** The StorageOSCluster (UID) a DaemonSet belongs to. */
    private static final String OWNER = "sandbox.storageos.com/storageoscluster-uid";
    private final KubernetesClient client;
    private final Path reports;
    private final SyncLoop loop;

    /** @param nodes how many Nodes run a StorageOS node pod */
    public StorageOSStandIn(Sandbox sandbox, int nodes) {
        this.client = sandbox.client();
        this.reports = sandbox.root().resolve("storageos-nodes");
        IntStream.range(0, nodes).forEach(i -> sandbox.node().addNode("storageos-node-" + i, Map.of(NODE_LABEL, "true")));
        this.loop = new SyncLoop("storageos-stand-in", this::sync);
        loop.watch(client.genericKubernetesResources(StorageOSClusterFixture.STORAGEOS).inAnyNamespace());
        loop.start();
    }

    /** Where the node processes report ({@link StorageOSNodeReport}). */
    public Path reports() {
        return reports;
    }

    public List<StorageOSNodeReport> nodeReports() {
        return StorageOSNodeReport.readAll(reports);
    }

    private void sync() {
        for (GenericKubernetesResource cluster : client.genericKubernetesResources(StorageOSClusterFixture.STORAGEOS).inAnyNamespace()
                .list().getItems()) {
            String ns = cluster.getMetadata().getNamespace();
            if (cluster.getMetadata().getDeletionTimestamp() != null) {
                deleteNodes(ns);
                continue;
            }
            String address = String.valueOf(((Map<?, ?>) ((Map<?, ?>) cluster.getAdditionalProperties().get("spec")).get("kvBackend"))
                    .get("address"));
            client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName(CONFIG_MAP).endMetadata()
                    .addToData("ETCD_ENDPOINTS", address).build()).createOr(existing -> existing.update());
            DaemonSet running = client.apps().daemonSets().inNamespace(ns).withName(DAEMON_SET).get();
            if (running == null) {
                client.apps().daemonSets().inNamespace(ns).resource(daemonSet(cluster.getMetadata().getUid())).create();
            } else if (!cluster.getMetadata().getUid().equals(running.getMetadata().getAnnotations().get(OWNER))) {
                deleteNodes(ns); // a recreated StorageOSCluster whose predecessor's nodes are still going
            }
        }
        // A StorageOSCluster gone for good takes its nodes down.
        client.apps().daemonSets().inAnyNamespace().withLabels(StorageOSNodes.DEFAULT_LABELS).list().getItems().stream()
                .map(ds -> ds.getMetadata().getNamespace())
                .filter(ns -> client.genericKubernetesResources(StorageOSClusterFixture.STORAGEOS).inNamespace(ns).list().getItems().isEmpty())
                .forEach(this::deleteNodes);
    }

    /** The DaemonSet goes once its pods are gone (foreground): its successor never adopts a pod that read the old address. */
    private void deleteNodes(String namespace) {
        client.apps().daemonSets().inNamespace(namespace).withName(DAEMON_SET).withPropagationPolicy(DeletionPropagation.FOREGROUND).delete();
    }

    private DaemonSet daemonSet(String ownerUid) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new DaemonSetBuilder().withNewMetadata().withName(DAEMON_SET).withLabels(StorageOSNodes.DEFAULT_LABELS)
                .withAnnotations(Map.of(OWNER, ownerUid)).endMetadata()
                .withNewSpec().withNewSelector().withMatchLabels(StorageOSNodes.DEFAULT_LABELS).endSelector()
                .withNewUpdateStrategy().withType("OnDelete").endUpdateStrategy()
                .withNewTemplate().withNewMetadata().withLabels(StorageOSNodes.DEFAULT_LABELS).endMetadata().withNewSpec()
                .withNodeSelector(Map.of(NODE_LABEL, "true")).withTerminationGracePeriodSeconds(5L)
                // The sandbox's Nodes keep the not-ready taint the API server gives a new Node: no node lifecycle controller runs.
                .addNewToleration().withOperator("Exists").endToleration()
                .addNewContainer().withName("storageos").withImage("storageos/node:v2")
                .withCommand(java, "-Xmx96m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                        StorageOSNodeProcess.class.getName())
                .addNewEnvFrom().withNewConfigMapRef().withName(CONFIG_MAP).endConfigMapRef().endEnvFrom()
                .addNewEnv().withName("NODE_NAME").withNewValueFrom().withNewFieldRef().withFieldPath("spec.nodeName").endFieldRef()
                .endValueFrom().endEnv()
                .addNewEnv().withName("POD_UID").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.uid").endFieldRef()
                .endValueFrom().endEnv()
                .addNewEnv().withName(StorageOSNodeProcess.REPORT_DIR).withValue(reports.toString()).endEnv()
                .endContainer().endSpec().endTemplate().endSpec().build();
    }

    @Override
    public void close() {
        loop.close();
    }
}
