package com.storageos.etcd.reconciler.etcdcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.desired.QuorumDisruptionBudget;
import com.storageos.etcd.testing.kube.ControlPlane;
import com.storageos.etcd.testing.kube.OperatorInstall;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An EtcdCluster deleted with its members orphaned and created again, on a real API server with the real garbage
 * collector, while a reconcile of the old one is still running: the write it ends with must not name the old owner, or
 * the collector deletes the written object (for the StatefulSet: every member pod at once).
 */
class LiveOwnerApiServerTest {
    private static final String NAMESPACE = "orphaned";
    private static ControlPlane plane;
    private static KubernetesClient client;

    @BeforeAll
    static void startPlane() {
        plane = ControlPlane.start(true);
        OperatorInstall.applyCrd(plane, Path.of("crds", "etcdclusters.etcd.storageos.com-v1.yml"));
        client = plane.admin();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build()).create();
    }

    @AfterAll
    static void stopPlane() {
        plane.close();
    }

    @Test
    void aWriteOfAClusterDeletedMeanwhileIsNotMadeAndWhatItWouldHaveDoneIsShown() {
        LiveOwner owner = new LiveOwner(client);
        EtcdCluster old = create("first");
        PodDisruptionBudget ofOld = QuorumDisruptionBudget.build(old, 3);
        apply(ofOld);
        assertThat(owner.owns(ofOld)).as("an object of a live cluster").isTrue();

        clusters().withName("first").withPropagationPolicy(DeletionPropagation.ORPHAN).delete();
        await().atMost(Duration.ofSeconds(30)).until(() -> clusters().withName("first").get() == null
                && Optional.ofNullable(budget(ofOld).get().getMetadata().getOwnerReferences()).orElse(List.of()).isEmpty());
        EtcdCluster again = create("first");

        assertThat(owner.owns(ofOld)).as("the old cluster's object, once a new cluster of that name exists").isFalse();
        assertThat(owner.owns(QuorumDisruptionBudget.build(again, 3))).as("the new cluster's").isTrue();

        // What the check prevents: the old reference written back makes the collector delete the object.
        apply(ofOld);
        await().atMost(Duration.ofSeconds(30)).until(() -> budget(ofOld).get() == null);
    }

    @Test
    void aClusterBeingDeletedOwnsNothingMore() {
        LiveOwner owner = new LiveOwner(client);
        EtcdCluster held = create("held");
        held.getMetadata().setFinalizers(List.of("test.storageos.com/hold"));
        clusters().resource(held).update();
        PodDisruptionBudget desired = QuorumDisruptionBudget.build(held, 3);
        clusters().withName("held").delete();

        await().atMost(Duration.ofSeconds(10)).until(() -> !owner.owns(desired));
        clusters().withName("held").edit(c -> {
            c.getMetadata().setFinalizers(List.of());
            return c;
        });
    }

    private static EtcdCluster create(String name) {
        EtcdCluster cluster = client.getKubernetesSerialization().unmarshal("""
                apiVersion: etcd.storageos.com/v1alpha1
                kind: EtcdCluster
                metadata: {name: %s, namespace: %s}
                spec: {replicas: 3}
                """.formatted(name, NAMESPACE), EtcdCluster.class);
        return clusters().resource(cluster).create();
    }

    private static void apply(PodDisruptionBudget budget) {
        client.resource(budget).fieldManager(DesiredStateApplier.FIELD_MANAGER).forceConflicts().serverSideApply();
    }

    private static Resource<PodDisruptionBudget> budget(PodDisruptionBudget budget) {
        return client.policy().v1().podDisruptionBudget().inNamespace(NAMESPACE).withName(budget.getMetadata().getName());
    }

    private static NonNamespaceOperation<EtcdCluster, KubernetesResourceList<EtcdCluster>, Resource<EtcdCluster>> clusters() {
        return client.resources(EtcdCluster.class).inNamespace(NAMESPACE);
    }
}
