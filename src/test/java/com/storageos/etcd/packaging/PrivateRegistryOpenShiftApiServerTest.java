package com.storageos.etcd.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.testing.kube.AuditLog;
import com.storageos.etcd.testing.kube.ControlPlane;
import com.storageos.etcd.testing.kube.OperatorInstall;
import com.storageos.etcd.testing.kube.OperatorProcess;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The chart installed for an air-gapped OpenShift-like cluster: a registry mirror with a pull Secret, another cluster
 * domain, and user IDs left to the platform. The whole render is applied on a real API server, in namespaces whose Pod
 * Security admission enforces {@code restricted}, and the real controllers create the pods: the operator's, a
 * member's and a backup Job's pods are admitted, pull with the Secrets and name no user.
 */
class PrivateRegistryOpenShiftApiServerTest {
    static final String NS = "etcd";
    static final String REGISTRY = "mirror.corp.example:5000";
    static final String DIGEST = "sha256:" + "0123456789abcdef".repeat(4);
    static final Map<String, Object> VALUES = Map.of(
            "imageRegistry", REGISTRY,
            "image.digest", DIGEST,
            "imagePullSecrets[0].name", "regcred",
            "clusterDomain", "corp.example",
            "openshift.enabled", true);
    static final String OPERATOR = AuditLog.serviceAccountUser(OperatorInstall.NAMESPACE, "etcd-operator");
    static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void operatorMembersAndToolsPullFromTheMirrorWithTheSecretsAndNameNoUser() {
        try (ControlPlane plane = ControlPlane.start(true)) {
            KubernetesClient client = plane.admin();
            restrictedNamespace(client, OperatorInstall.NAMESPACE);
            OperatorInstall install = OperatorInstall.install(plane, VALUES);
            applyTheRest(client);

            Pod operatorPod = awaitPod(client, OperatorInstall.NAMESPACE, "app.kubernetes.io/name=etcd-operator");
            assertThat(operatorPod.getSpec().getContainers().get(0).getImage())
                    .isEqualTo(REGISTRY + "/storageos/etcd-operator:0.1.0@" + DIGEST);
            assertPulledWith(operatorPod.getSpec(), "regcred");
            assertNoUser(operatorPod.getSpec());
            assertThat(operatorPod.getSpec().getContainers().get(0).getSecurityContext().getRunAsUser()).isNull();

            try (OperatorProcess operator = OperatorProcess.start(install, "operator-0", Map.of())) {
                operator.awaitReady(WAIT);
                restrictedNamespace(client, NS);
                client.resource(client.getKubernetesSerialization().unmarshal("""
                        apiVersion: etcd.storageos.com/v1alpha1
                        kind: EtcdCluster
                        metadata:
                          name: storageos-etcd
                          annotations: {etcd.storageos.com/backup-now: first}
                        spec:
                          podTemplate:
                            imagePullSecrets: [{name: team-registry}]
                            nodeSelector: {node-role.kubernetes.io/etcd: "true"}
                          backup:
                            schedule: "0 * * * *"
                            pvc: {claimName: etcd-backups}
                            resources: {requests: {cpu: 10m, memory: 200Mi}, limits: {memory: 700Mi}}
                          defrag: {schedule: "0 3 * * *"}
                        """, EtcdCluster.class)).inNamespace(NS).create();

                Pod member = awaitPod(client, NS, "etcd.storageos.com/cluster=storageos-etcd,app.kubernetes.io/component=member");
                assertThat(member.getSpec().getInitContainers().get(0).getImage())
                        .isEqualTo(REGISTRY + "/storageos/etcd-operator:0.1.0@" + DIGEST);
                assertThat(member.getSpec().getContainers().get(0).getImage()).isEqualTo(REGISTRY + "/etcd-development/etcd:v3.5.30");
                assertPulledWith(member.getSpec(), "regcred", "team-registry");
                assertNoUser(member.getSpec());
                StatefulSet sts = client.apps().statefulSets().inNamespace(NS).withName("storageos-etcd").get();
                assertThat(sts.getSpec().getTemplate().getSpec().getInitContainers().get(0).getEnv())
                        .anySatisfy(e -> assertThat(e.getValue()).contains(".storageos-etcd-peer.etcd.svc.corp.example:2380"));

                for (String name : List.of("storageos-etcd-backup", "storageos-etcd-defrag")) {
                    CronJob cronJob = await().atMost(WAIT).until(() -> client.batch().v1().cronjobs().inNamespace(NS).withName(name).get(),
                            c -> c != null);
                    PodSpec tool = cronJob.getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
                    assertPulledWith(tool, "regcred", "team-registry");
                    assertThat(tool.getNodeSelector()).containsEntry("node-role.kubernetes.io/etcd", "true");
                }
                Pod backup = awaitPod(client, NS, "etcd.storageos.com/cluster=storageos-etcd,app.kubernetes.io/component=backup");
                assertPulledWith(backup.getSpec(), "regcred", "team-registry");
                assertNoUser(backup.getSpec());
                assertThat(backup.getSpec().getContainers().get(0).getResources().getLimits().get("memory").toString()).isEqualTo("700Mi");
                assertThat(plane.audit().refused(OPERATOR)).as("requests of the operator refused").isEmpty();
            }
        }
    }

    /** A namespace where Pod Security admission refuses any pod that does not meet the restricted standard. */
    private static void restrictedNamespace(KubernetesClient client, String name) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name)
                .addToLabels("pod-security.kubernetes.io/enforce", "restricted").endMetadata().build())
                .createOr(existing -> existing.patch());
    }

    /** What OperatorInstall leaves out of the render (the Deployment, the Service), applied as helm install would. */
    private static void applyTheRest(KubernetesClient client) {
        HelmChart chart = HelmChart.withDefaults();
        VALUES.forEach(chart::set);
        List<HasMetadata> objects = client.getKubernetesSerialization()
                .unmarshal(new ByteArrayInputStream(chart.renderText().getBytes(StandardCharsets.UTF_8)));
        objects.stream().filter(o -> List.of("Deployment", "Service").contains(o.getKind()))
                .forEach(o -> client.resource(o).inNamespace(OperatorInstall.NAMESPACE).forceConflicts().serverSideApply());
    }

    /** A pod the controllers created and admission let through; none runs, as there is no node. */
    private static Pod awaitPod(KubernetesClient client, String namespace, String selector) {
        return await().atMost(WAIT).until(() -> client.pods().inNamespace(namespace).withLabelSelector(selector).list().getItems(),
                pods -> !pods.isEmpty()).get(0);
    }

    private static void assertPulledWith(PodSpec pod, String... secrets) {
        assertThat(pod.getImagePullSecrets()).extracting(LocalObjectReference::getName).containsExactly(secrets);
    }

    private static void assertNoUser(PodSpec pod) {
        assertThat(pod.getSecurityContext().getRunAsUser()).as("runAsUser").isNull();
        assertThat(pod.getSecurityContext().getRunAsGroup()).as("runAsGroup").isNull();
        assertThat(pod.getSecurityContext().getFsGroup()).as("fsGroup").isNull();
    }
}
