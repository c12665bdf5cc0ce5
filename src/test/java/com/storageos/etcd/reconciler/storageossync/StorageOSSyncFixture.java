package com.storageos.etcd.reconciler.storageossync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.storageos.etcd.api.storageos.StorageOSCluster;
import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.spec.StorageOSSpec;
import com.storageos.etcd.api.v1alpha1.status.MemberStatus;
import com.storageos.etcd.membership.StorageOSNodes;
import com.storageos.etcd.naming.DnsMemberAddressing;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;

/** An EtcdCluster whose status the test writes (as the EtcdCluster reconciler would) and the StorageOSCluster it names. */
final class StorageOSSyncFixture {
    static final String ETCD_NS = "etcd";
    static final String STOS_NS = "storageos";
    static final String CLUSTER = "storageos-etcd";
    static final String STOS = "storageos";
    static final String SERVICE = "storageos-etcd-client.etcd.svc.cluster.local:2379";
    static final ObjectMapper JSON = new ObjectMapper();
    final KubernetesClient client;
    final SteppedClock clock = new SteppedClock(Instant.parse("2025-03-01T12:00:00Z"));
    final StorageOSSyncReconciler reconciler;

    StorageOSSyncFixture(KubernetesClient client) throws IOException {
        this.client = client;
        load("crds/etcdclusters.etcd.storageos.com-v1.yml");
        load("src/test/resources/storageos/storageoscluster-crd.yaml");
        reconciler = new StorageOSSyncReconciler(clock, new DnsMemberAddressing("cluster.local"));
    }

    private void load(String path) throws IOException {
        try (InputStream in = new FileInputStream(path)) {
            client.apiextensions().v1().customResourceDefinitions().load(in).create();
        }
    }

    static String host(int ordinal) {
        return CLUSTER + "-" + ordinal + "." + CLUSTER + "-peer.etcd.svc.cluster.local:2379";
    }

    static String hosts(int count) {
        return String.join(",", IntStream.range(0, count).mapToObj(StorageOSSyncFixture::host).toList());
    }

    EtcdCluster etcdCluster(StorageOSSpec.AddressMode mode, StorageOSSpec.UpdatePolicy policy, int settleSeconds) {
        EtcdCluster cluster = new EtcdCluster();
        cluster.setMetadata(new ObjectMetaBuilder().withName(CLUSTER).withNamespace(ETCD_NS).build());
        StorageOSSpec ref = new StorageOSSpec();
        ref.setName(STOS);
        ref.setNamespace(STOS_NS);
        ref.setAddressMode(mode);
        ref.setUpdatePolicy(policy);
        ref.setSettleSeconds(settleSeconds);
        cluster.getSpec().setStorageos(ref);
        client.resource(cluster).create();
        patchStatus("[{\"op\":\"add\",\"path\":\"/status\",\"value\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\","
                + "\"reason\":\"Converged\",\"message\":\"owned by the other controller\","
                + "\"lastTransitionTime\":\"2025-03-01T11:00:00Z\"}]}}]");
        return etcd();
    }

    /** A StorageOS node pod as its DaemonSet labels it, started at {@code startedAt}; replaces one of the same name. */
    void nodePod(String name, Instant startedAt) {
        client.pods().inNamespace(STOS_NS).withName(name).delete();
        client.resource(new PodBuilder().withNewMetadata().withName(name).withNamespace(STOS_NS)
                .withLabels(StorageOSNodes.DEFAULT_LABELS).endMetadata()
                .withNewStatus().withPhase("Running").withStartTime(startedAt.toString()).endStatus().build()).create();
    }

    /** Writes status.members the way the EtcdCluster reconciler would: a patch of its own field only. */
    void members(List<MemberStatus> members) {
        ObjectNode op = JSON.createObjectNode().put("op", "add").put("path", "/status/members");
        op.set("value", JSON.valueToTree(members));
        patchStatus(JSON.createArrayNode().add(op).toString());
    }

    void voters(int count) {
        members(IntStream.range(0, count).mapToObj(StorageOSSyncFixture::voter).toList());
    }

    static MemberStatus voter(int ordinal) {
        return member(ordinal, "Voter", true);
    }

    static MemberStatus member(int ordinal, String role, boolean healthy) {
        MemberStatus m = new MemberStatus();
        m.setName(CLUSTER + "-" + ordinal);
        m.setId(Integer.toHexString(0x1000 + ordinal));
        m.setRole(role);
        m.setHealthy(healthy);
        m.setClientURL("http://" + host(ordinal));
        return m;
    }

    private void patchStatus(String json) {
        client.resources(EtcdCluster.class).inNamespace(ETCD_NS).withName(CLUSTER).subresource("status")
                .patch(PatchContext.of(PatchType.JSON), json);
    }

    /** A StorageOSCluster as a user would write it, with fields the etcd operator does not model. */
    GenericKubernetesResource storageOSCluster(String address) {
        String yaml = """
                apiVersion: storageos.com/v1
                kind: StorageOSCluster
                metadata:
                  name: storageos
                  namespace: storageos
                  labels: {app: storageos, team: storage}
                  annotations: {note: "kept as is"}
                spec:
                  secretRefName: storageos-api
                  secretRefNamespace: storageos
                  k8sDistro: kubeadm
                  images: {nodeContainer: "storageos/node:v2.4.4", initContainer: "storageos/init:v2.1.0"}
                  resources: {requests: {cpu: "1", memory: 1Gi}, limits: {memory: 2Gi}}
                  csi: {enable: true, deploymentStrategy: deployment, enableProvisionCreds: false}
                  tolerations: [{key: node-role.kubernetes.io/master, operator: Exists, effect: NoSchedule}]
                  kvBackend: {address: "%s", backend: etcd}
                """.formatted(address);
        GenericKubernetesResource stos = client.getKubernetesSerialization().unmarshal(yaml, GenericKubernetesResource.class);
        return stosClient().resource(stos).create();
    }

    UpdateControl<EtcdCluster> reconcile() throws Exception {
        EtcdCluster cached = etcd();
        return reconciler.reconcile(cached, new ReconcileContext(client, cached));
    }

    EtcdCluster etcd() {
        return client.resources(EtcdCluster.class).inNamespace(ETCD_NS).withName(CLUSTER).get();
    }

    GenericKubernetesResource stos() {
        return stosClient().withName(STOS).get();
    }

    String address() {
        return client.resources(StorageOSCluster.class).inNamespace(STOS_NS).withName(STOS).get().getSpec().address();
    }

    Condition synced() {
        return SyncedCondition.find(etcd().getStatus().getConditions()).orElse(null);
    }

    List<Event> events(String reason) {
        return client.v1().events().inNamespace(ETCD_NS).list().getItems().stream()
                .filter(e -> reason.equals(e.getReason())).toList();
    }

    /** The whole object minus what a sync may change: address, server metadata, status. */
    static JsonNode untouchedPart(GenericKubernetesResource stos) {
        ObjectNode tree = JSON.valueToTree(stos);
        ((ObjectNode) tree.path("spec").path("kvBackend")).remove("address");
        ObjectNode metadata = (ObjectNode) tree.path("metadata");
        metadata.retain("name", "namespace", "labels", "annotations");
        tree.remove("status");
        return tree;
    }

    NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> stosClient() {
        return client.genericKubernetesResources(ResourceDefinitionContext.fromResourceType(StorageOSCluster.class)).inNamespace(STOS_NS);
    }
}
