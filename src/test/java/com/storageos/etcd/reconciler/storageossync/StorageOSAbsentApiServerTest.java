package com.storageos.etcd.reconciler.storageossync;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.testing.kube.AuditLog;
import com.storageos.etcd.testing.kube.ClusterWatch;
import com.storageos.etcd.testing.kube.ControlPlane;
import com.storageos.etcd.testing.kube.OperatorInstall;
import com.storageos.etcd.testing.kube.OperatorProcess;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * StorageOS is installed after its etcd, so the operator's first start is on a cluster without the
 * StorageOSCluster CRD. On the real API server (which answers 404 for an unknown resource type, and
 * 403 where RBAC says no) the operator must come up, reconcile, and say what it waits for.
 */
class StorageOSAbsentApiServerTest {
    static final String NS = "etcd";
    static final String OPERATOR = AuditLog.serviceAccountUser(OperatorInstall.NAMESPACE, "etcd-operator");
    static final Path STORAGEOS_CRD = Path.of("src", "test", "resources", "storageos", "storageoscluster-crd.yaml");

    @Test
    void withoutTheStorageOSCrdTheOperatorIsReadyAndStartsSyncingOnceItIsInstalled() throws Exception {
        try (ControlPlane plane = ControlPlane.start(false)) {
            OperatorInstall install = OperatorInstall.install(plane, Map.of());
            try (OperatorProcess operator = OperatorProcess.start(install, "operator-0", Map.of())) {
                Duration ready = operator.awaitReady(Duration.ofSeconds(60));
                System.out.printf("operator ready %d ms after start, with no StorageOSCluster CRD%n", ready.toMillis());
                assertThat(ready).as("time to ready").isLessThan(Duration.ofSeconds(20));
                assertThat(operator.probe("/q/health/live")).isEqualTo(200);

                ClusterWatch cluster = createSyncedCluster(plane);
                cluster.await("StorageOSSynced", ClusterWatch.reason("StorageOSNotInstalled"), Duration.ofSeconds(30));
                assertThat(cluster.condition("StorageOSSynced").orElseThrow().getStatus()).isEqualTo("False");
                assertThat(cluster.awaitStatefulSet(Duration.ofSeconds(20)))
                        .as("the EtcdCluster itself is reconciled").isNotNull();

                OperatorInstall.applyCrd(plane, STORAGEOS_CRD);
                // Named outright, not looked up: the admin client's discovery can lag the CRD it just saw Established.
                plane.admin().genericKubernetesResources(new ResourceDefinitionContext.Builder().withGroup("storageos.com")
                                .withVersion("v1").withKind("StorageOSCluster").withPlural("storageosclusters").withNamespaced(true).build())
                        .inNamespace(NS)
                        .resource(storageOSCluster()).create();
                // No member runs here (no node), so the sync stops at quorum: it has found the StorageOSCluster.
                Duration seen = cluster.await("StorageOSSynced", ClusterWatch.reason("WaitingForQuorum"), Duration.ofSeconds(60));
                System.out.printf("StorageOS sync picked up the CRD %d ms after it was installed, without a restart%n", seen.toMillis());
                assertThat(operator.isAlive()).isTrue();
                // The operator never asked for what the chart does not grant, nor sent what the server refuses.
                assertThat(plane.audit().refused(OPERATOR)).isEmpty();
            }
        }
    }

    @Test
    void withoutRbacForStorageOSClustersTheOperatorIsReadyAndSaysWhatIsMissing() throws Exception {
        try (ControlPlane plane = ControlPlane.start(false)) {
            OperatorInstall install = OperatorInstall.install(plane, Map.of("storageos.sync.enabled", "false"));
            OperatorInstall.applyCrd(plane, STORAGEOS_CRD);
            try (OperatorProcess operator = OperatorProcess.start(install, "operator-0", Map.of())) {
                assertThat(operator.awaitReady(Duration.ofSeconds(60))).isLessThan(Duration.ofSeconds(20));
                ClusterWatch cluster = createSyncedCluster(plane);
                cluster.await("StorageOSSynced", ClusterWatch.reason("StorageOSAccessDenied"), Duration.ofSeconds(30));
                assertThat(cluster.condition("StorageOSSynced").orElseThrow().getMessage()).contains("storageos.sync.enabled=true");
                // The only refusal is the one this test is about: RBAC on storageosclusters.
                assertThat(plane.audit().refused(OPERATOR)).isNotEmpty()
                        .allSatisfy(e -> assertThat(e.resource()).isEqualTo("storageosclusters"));
            }
        }
    }

    private static ClusterWatch createSyncedCluster(ControlPlane plane) {
        plane.admin().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
        EtcdCluster cluster = plane.admin().getKubernetesSerialization().unmarshal("""
                apiVersion: etcd.storageos.com/v1alpha1
                kind: EtcdCluster
                metadata: {name: storageos-etcd, namespace: etcd}
                spec:
                  replicas: 3
                  storageos: {name: storageos}
                """, EtcdCluster.class);
        plane.admin().resource(cluster).create();
        return new ClusterWatch(plane.admin(), NS, "storageos-etcd");
    }

    private static GenericKubernetesResource storageOSCluster() {
        return new GenericKubernetesResourceBuilder().withApiVersion("storageos.com/v1").withKind("StorageOSCluster")
                .withNewMetadata().withName("storageos").withNamespace(NS).endMetadata()
                .addToAdditionalProperties("spec", Map.of("secretRefName", "storageos-api", "secretRefNamespace", NS,
                        "kvBackend", Map.of("address", "old-etcd:2379"))).build();
    }
}
