package com.storageos.etcd.reconciler.etcdcluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.testing.kube.AuditLog;
import com.storageos.etcd.testing.kube.ControlPlane;
import com.storageos.etcd.testing.kube.OperatorInstall;
import com.storageos.etcd.testing.kube.OperatorProcess;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The EtcdCluster reconciler as the chart deploys it: the packaged operator under the chart's
 * ServiceAccount and RBAC, against a real API server (server-side apply, validation, admission).
 * No etcd member runs (there is no node), so a new cluster stays in its bootstrap phase: what is
 * checked is what the user sees on the Kubernetes side. One operator serves every test of a class; each test
 * has its own namespace, and none of the operator's requests may be refused.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class OperatorOnApiServer {
    static final String OPERATOR = AuditLog.serviceAccountUser(OperatorInstall.NAMESPACE, "etcd-operator");
    static final Duration WAIT = Duration.ofSeconds(30);
    static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);
    /** The one namespace where the server refuses the operator on purpose. */
    static final String QUOTA_NAMESPACE = "quota";
    static ControlPlane plane;
    static OperatorInstall install;
    static OperatorProcess operator;
    static KubernetesClient client;

    @BeforeAll
    static void startOperator() {
        plane = ControlPlane.start(false);
        client = plane.admin();
        install = OperatorInstall.install(plane, Map.of());
        operator = OperatorProcess.start(install, "operator-0", Map.of());
        operator.awaitReady(Duration.ofSeconds(60));
    }

    @AfterAll
    static void stopOperator() {
        if (operator != null) {
            operator.close();
        }
        if (plane != null) {
            plane.close();
        }
    }

    /** Last: across every test, and outside any namespace too, the chart's RBAC and the server accepted every request. */
    @Test
    @Order(Integer.MAX_VALUE)
    void theServerRefusedNoRequestOfTheOperator() {
        assertThat(plane.audit().writes(OPERATOR)).isNotEmpty();
        assertThat(plane.audit().refused(OPERATOR)).filteredOn(e -> !e.uri().contains("/namespaces/" + QUOTA_NAMESPACE + "/")).isEmpty();
    }

    static String namespace(String name) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
        return name;
    }

    static void create(String namespace, String yaml) {
        EtcdCluster cluster = client.getKubernetesSerialization().unmarshal("""
                apiVersion: etcd.storageos.com/v1alpha1
                kind: EtcdCluster
                """ + yaml, EtcdCluster.class);
        client.resource(cluster).inNamespace(namespace).create();
    }

    static EtcdCluster cluster(String namespace, String name) {
        return client.resources(EtcdCluster.class).inNamespace(namespace).withName(name).get();
    }

    /** The operator's successful patches (server-side applies) of one object, from the audit log. */
    static int applies(String namespace, String resource, String name) {
        String path = "/namespaces/" + namespace + "/" + resource + "/" + name + "?";
        return (int) plane.audit().writes(OPERATOR).stream().filter(e -> "patch".equals(e.verb()) && e.uri().contains(path)).count();
    }

    static void assertNothingRefusedIn(String namespace) {
        assertThat(plane.audit().refused(OPERATOR)).as("requests of the operator refused")
                .filteredOn(e -> e.uri().contains("/namespaces/" + namespace + "/")).isEmpty();
    }
}
