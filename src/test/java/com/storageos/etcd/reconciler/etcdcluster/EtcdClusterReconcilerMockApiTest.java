package com.storageos.etcd.reconciler.etcdcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.desired.RenderSettings;
import com.storageos.etcd.etcd.JetcdEtcdAdminFactory;
import com.storageos.etcd.naming.DnsMemberAddressing;
import com.storageos.etcd.status.Conditions;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reconciler, run by a real JOSDK operator against fabric8's mock API server in CRUD mode.
 * No etcd answers here, so a new cluster stays in its bootstrap phase: what is checked is what
 * the user sees on the Kubernetes side.
 */
@EnableKubernetesMockClient(crud = true)
class EtcdClusterReconcilerMockApiTest {
    KubernetesClient client;
    Operator operator;
    EtcdClusterReconciler reconciler;

    @BeforeEach
    void startOperator() {
        RenderSettings settings = new RenderSettings("example.com/etcd-operator:test", "gcr.io/etcd-development/etcd",
                new DnsMemberAddressing("cluster.local"));
        reconciler = new EtcdClusterReconciler(client, settings, new JetcdEtcdAdminFactory(Duration.ofMillis(300)),
                Clock.systemUTC(), Duration.ofMinutes(5));
        operator = new Operator(o -> o.withKubernetesClient(client).withCloseClientOnStop(false));
        operator.register(reconciler);
        operator.start();
    }

    @AfterEach
    void stopOperator() {
        operator.stop();
        reconciler.close();
    }

    @Test
    void newClusterGetsItsObjectsAndBootstrapsOneMemberFirst() throws InterruptedException {
        EtcdCluster cluster = new EtcdCluster();
        cluster.setMetadata(new ObjectMetaBuilder().withName("storageos-etcd").withNamespace("etcd").build());
        client.resource(cluster).create();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            StatefulSet sts = client.apps().statefulSets().inNamespace("etcd").withName("storageos-etcd").get();
            assertThat(sts).isNotNull();
            assertThat(sts.getSpec().getReplicas()).as("only member 0 starts; the others join as learners").isEqualTo(1);
            // Applied after the StatefulSet in the same reconcile.
            assertThat(client.policy().v1().podDisruptionBudget().inNamespace("etcd").withName("storageos-etcd").get()).isNotNull();
        });
        StatefulSet sts = client.apps().statefulSets().inNamespace("etcd").withName("storageos-etcd").get();
        assertThat(sts.getSpec().getUpdateStrategy().getType()).isEqualTo("OnDelete");
        assertThat(sts.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> assertThat(o.getKind()).isEqualTo("EtcdCluster"));
        Service peer = client.services().inNamespace("etcd").withName("storageos-etcd-peer").get();
        assertThat(peer.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(peer.getSpec().getPublishNotReadyAddresses()).isTrue();
        assertThat(client.services().inNamespace("etcd").withName("storageos-etcd-client").get()).isNotNull();
        PodDisruptionBudget pdb = client.policy().v1().podDisruptionBudget().inNamespace("etcd").withName("storageos-etcd").get();
        assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isEqualTo(1);
        assertThat(client.serviceAccounts().inNamespace("etcd").withName("storageos-etcd-member").get()).isNotNull();
        assertThat(client.rbac().roles().inNamespace("etcd").withName("storageos-etcd-member").get().getRules())
                .singleElement().satisfies(r -> assertThat(r.getVerbs()).containsExactly("get"));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            EtcdCluster seen = client.resources(EtcdCluster.class).inNamespace("etcd").withName("storageos-etcd").get();
            assertThat(seen.getStatus().getPendingChange().getOperation()).isEqualTo("Bootstrap");
            assertThat(Conditions.find(seen.getStatus().getConditions(), Conditions.AVAILABLE)).hasValueSatisfying(c -> {
                assertThat(c.getStatus()).isEqualTo("False");
                assertThat(c.getReason()).isEqualTo("Bootstrapping");
                assertThat(c.getObservedGeneration()).isEqualTo(seen.getMetadata().getGeneration());
            });
            assertThat(Conditions.find(seen.getStatus().getConditions(), Conditions.READY))
                    .hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("False"));
            assertThat(seen.getStatus().getSelector()).contains("etcd.storageos.com/cluster=storageos-etcd");
        });
        assertThat(client.v1().events().inNamespace("etcd").list().getItems())
                .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("Bootstrapping"));
        Thread.sleep(1500); // several more reconciles re-apply every object
        assertThat(client.rbac().roles().inNamespace("etcd").withName("storageos-etcd-member").get().getRules())
                .as("re-applying an object must not duplicate its lists").hasSize(1);
        assertThat(client.apps().statefulSets().inNamespace("etcd").withName("storageos-etcd").get()
                .getSpec().getTemplate().getSpec().getContainers()).hasSize(1);
    }

    @Test
    void backupAndDefragRunAsCronJobsAndABackupCanBeRequestedNow() {
        EtcdCluster cluster = new EtcdCluster();
        cluster.setMetadata(new ObjectMetaBuilder().withName("kept").withNamespace("etcd")
                .addToAnnotations("etcd.storageos.com/backup-now", "before-upgrade").build());
        var backup = new com.storageos.etcd.api.v1alpha1.spec.BackupSpec();
        backup.setSchedule("0 * * * *");
        backup.setPvc(new com.storageos.etcd.api.v1alpha1.spec.PvcDestinationSpec());
        backup.getPvc().setClaimName("etcd-backups");
        var defrag = new com.storageos.etcd.api.v1alpha1.spec.DefragSpec();
        defrag.setSchedule("0 3 * * *");
        cluster.getSpec().setBackup(backup);
        cluster.getSpec().setDefrag(defrag);
        client.resource(cluster).create();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            var cron = client.batch().v1().cronjobs().inNamespace("etcd").withName("kept-backup").get();
            assertThat(cron).isNotNull();
            assertThat(cron.getSpec().getSchedule()).isEqualTo("0 * * * *");
            assertThat(cron.getSpec().getConcurrencyPolicy()).isEqualTo("Forbid");
            assertThat(client.batch().v1().cronjobs().inNamespace("etcd").withName("kept-defrag").get())
                    .isNotNull().satisfies(d -> assertThat(d.getSpec().getSchedule()).isEqualTo("0 3 * * *"));
            assertThat(client.serviceAccounts().inNamespace("etcd").withName("kept-tool").get()).isNotNull();
            assertThat(client.batch().v1().jobs().inNamespace("etcd").list().getItems())
                    .singleElement().satisfies(j -> assertThat(j.getMetadata().getName()).startsWith("kept-backup-now-"));
            assertThat(client.resources(EtcdCluster.class).inNamespace("etcd").withName("kept").get().getMetadata().getAnnotations())
                    .containsEntry("etcd.storageos.com/backup-now-handled", "before-upgrade");
        });

        client.resources(EtcdCluster.class).inNamespace("etcd").withName("kept")
                .patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                        "{\"spec\":{\"defrag\":null}}");
        await().atMost(Duration.ofSeconds(40)).untilAsserted(() ->
                assertThat(client.batch().v1().cronjobs().inNamespace("etcd").withName("kept-defrag").get()).isNull());
        assertThat(client.batch().v1().jobs().inNamespace("etcd").list().getItems()).as("a handled request starts no second Job").hasSize(1);
    }

    @Test
    void aLargerVolumeGrowsTheClaimsAndLeavesTheImmutableClaimTemplateAlone() {
        EtcdCluster cluster = new EtcdCluster();
        cluster.setMetadata(new ObjectMetaBuilder().withName("grow").withNamespace("etcd").build());
        client.resource(cluster).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> client.apps().statefulSets().inNamespace("etcd").withName("grow").get() != null);
        client.resource(new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder()
                .withNewMetadata().withName("data-grow-0").withNamespace("etcd").endMetadata()
                .withNewSpec().withNewResources().addToRequests("storage", new io.fabric8.kubernetes.api.model.Quantity("10Gi"))
                .endResources().endSpec().build()).create();

        client.resources(EtcdCluster.class).inNamespace("etcd").withName("grow")
                .patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                        "{\"spec\":{\"storage\":{\"size\":\"20Gi\"}}}");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(client.persistentVolumeClaims().inNamespace("etcd")
                .withName("data-grow-0").get().getSpec().getResources().getRequests().get("storage").toString()).isEqualTo("20Gi"));
        assertThat(client.apps().statefulSets().inNamespace("etcd").withName("grow").get().getSpec().getVolumeClaimTemplates().get(0)
                .getSpec().getResources().getRequests().get("storage").toString())
                .as("a real API server rejects changes to volumeClaimTemplates").isEqualTo("10Gi");
    }

    @Test
    void unsupportedSpecTouchesNothingAndSaysWhy() {
        EtcdCluster cluster = new EtcdCluster();
        cluster.setMetadata(new ObjectMetaBuilder().withName("tls-etcd").withNamespace("etcd").build());
        cluster.getSpec().setTls(new com.storageos.etcd.api.v1alpha1.spec.TlsSpec());
        cluster.getSpec().getTls().setClient(new com.storageos.etcd.api.v1alpha1.spec.TlsEndpointSpec());
        client.resource(cluster).create();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            EtcdCluster seen = client.resources(EtcdCluster.class).inNamespace("etcd").withName("tls-etcd").get();
            assertThat(Conditions.find(seen.getStatus() == null ? null : seen.getStatus().getConditions(), Conditions.DEGRADED))
                    .hasValueSatisfying(c -> assertThat(c.getReason()).isEqualTo("InvalidSpec"));
        });
        assertThat(client.apps().statefulSets().inNamespace("etcd").withName("tls-etcd").get()).isNull();
    }
}
