package com.storageos.etcd.reconciler.etcdcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.status.Conditions;
import com.storageos.etcd.testing.kube.OperatorProcess;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.ResourceQuotaStatusBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the reconciler writes for an EtcdCluster, and how a write the server refuses shows (see OperatorOnApiServer). */
class EtcdClusterReconcilerApiServerTest extends OperatorOnApiServer {
    @Test
    void newClusterGetsItsObjectsAndBootstrapsOneMemberFirst() throws Exception {
        String ns = namespace("new-cluster");
        create(ns, """
                metadata: {name: storageos-etcd}
                spec: {}
                """);

        await().atMost(WAIT).untilAsserted(() -> {
            StatefulSet sts = client.apps().statefulSets().inNamespace(ns).withName("storageos-etcd").get();
            assertThat(sts).isNotNull();
            assertThat(sts.getSpec().getReplicas()).as("only member 0 starts; the others join as learners").isEqualTo(1);
            // Applied after the StatefulSet in the same reconcile.
            assertThat(client.policy().v1().podDisruptionBudget().inNamespace(ns).withName("storageos-etcd").get()).isNotNull();
        });
        StatefulSet sts = client.apps().statefulSets().inNamespace(ns).withName("storageos-etcd").get();
        assertThat(sts.getSpec().getUpdateStrategy().getType()).isEqualTo("OnDelete");
        assertThat(sts.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> assertThat(o.getKind()).isEqualTo("EtcdCluster"));
        Service peer = client.services().inNamespace(ns).withName("storageos-etcd-peer").get();
        assertThat(peer.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(peer.getSpec().getPublishNotReadyAddresses()).isTrue();
        assertThat(client.services().inNamespace(ns).withName("storageos-etcd-client").get()).isNotNull();
        PodDisruptionBudget pdb = client.policy().v1().podDisruptionBudget().inNamespace(ns).withName("storageos-etcd").get();
        assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isEqualTo(1);
        assertThat(client.serviceAccounts().inNamespace(ns).withName("storageos-etcd-member").get()).isNotNull();
        assertThat(client.rbac().roles().inNamespace(ns).withName("storageos-etcd-member").get().getRules())
                .singleElement().satisfies(r -> assertThat(r.getVerbs()).containsExactly("get"));

        await().atMost(WAIT).untilAsserted(() -> {
            EtcdCluster seen = cluster(ns, "storageos-etcd");
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
        assertThat(client.v1().events().inNamespace(ns).list().getItems())
                .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("Bootstrapping"));
        Thread.sleep(1500); // several more reconciles
        assertThat(client.rbac().roles().inNamespace(ns).withName("storageos-etcd-member").get().getRules())
                .as("re-applying an object must not duplicate its lists").hasSize(1);
        assertThat(client.apps().statefulSets().inNamespace(ns).withName("storageos-etcd").get()
                .getSpec().getTemplate().getSpec().getContainers()).hasSize(1);
        // The operator's own metrics, served by the packaged application (Quarkus wiring and Micrometer).
        assertThat(operator.get("/q/metrics")).contains("etcd_operator_backup_last_success_timestamp_seconds")
                .contains("namespace=\"" + ns + "\"");
        assertNothingRefusedIn(ns);
    }

    @Test
    void backupAndDefragRunAsCronJobsAndABackupCanBeRequestedNow() {
        String ns = namespace("tools");
        create(ns, """
                metadata:
                  name: kept
                  annotations: {etcd.storageos.com/backup-now: before-upgrade}
                spec:
                  backup: {schedule: "0 * * * *", pvc: {claimName: etcd-backups}}
                  defrag: {schedule: "0 3 * * *"}
                """);

        await().atMost(WAIT).untilAsserted(() -> {
            var cron = client.batch().v1().cronjobs().inNamespace(ns).withName("kept-backup").get();
            assertThat(cron).isNotNull();
            assertThat(cron.getSpec().getSchedule()).isEqualTo("0 * * * *");
            assertThat(cron.getSpec().getConcurrencyPolicy()).isEqualTo("Forbid");
            assertThat(client.batch().v1().cronjobs().inNamespace(ns).withName("kept-defrag").get())
                    .isNotNull().satisfies(d -> assertThat(d.getSpec().getSchedule()).isEqualTo("0 3 * * *"));
            assertThat(client.serviceAccounts().inNamespace(ns).withName("kept-tool").get()).isNotNull();
            assertThat(client.batch().v1().jobs().inNamespace(ns).list().getItems())
                    .singleElement().satisfies(j -> assertThat(j.getMetadata().getName()).startsWith("kept-backup-now-"));
            assertThat(cluster(ns, "kept").getMetadata().getAnnotations())
                    .containsEntry("etcd.storageos.com/backup-now-handled", "before-upgrade");
        });

        client.resources(EtcdCluster.class).inNamespace(ns).withName("kept").patch(MERGE, "{\"spec\":{\"defrag\":null}}");
        await().atMost(Duration.ofSeconds(40)).untilAsserted(() ->
                assertThat(client.batch().v1().cronjobs().inNamespace(ns).withName("kept-defrag").get()).isNull());
        assertThat(client.batch().v1().jobs().inNamespace(ns).list().getItems()).as("a handled request starts no second Job").hasSize(1);
        assertNothingRefusedIn(ns);
    }

    @Test
    void aLargerVolumeGrowsTheClaimsAndLeavesTheImmutableClaimTemplateAlone() {
        String ns = namespace("grow");
        // A real API server resizes only a bound claim whose StorageClass allows expansion (admission);
        // with no controller manager here, the test plays the provisioner and binds the claim itself.
        client.storage().v1().storageClasses().resource(new StorageClassBuilder().withNewMetadata().withName("expandable").endMetadata()
                .withProvisioner("example.com/none").withAllowVolumeExpansion(true).build()).create();
        create(ns, """
                metadata: {name: grow}
                spec:
                  storage: {storageClassName: expandable}
                """);
        await().atMost(WAIT).until(() -> client.apps().statefulSets().inNamespace(ns).withName("grow").get() != null);
        // Labelled as the StatefulSet controller labels the claims it creates: with the StatefulSet's selector.
        PersistentVolumeClaim claim = client.resource(new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName("data-grow-0").withNamespace(ns)
                .withLabels(client.apps().statefulSets().inNamespace(ns).withName("grow").get().getSpec().getSelector().getMatchLabels())
                .endMetadata()
                .withNewSpec().withAccessModes("ReadWriteOnce").withStorageClassName("expandable").withVolumeName("pv-grow-0")
                .withNewResources().addToRequests("storage", new Quantity("10Gi")).endResources().endSpec().build()).create();
        claim.setStatus(new PersistentVolumeClaimStatusBuilder().withPhase("Bound")
                .withAccessModes("ReadWriteOnce").addToCapacity("storage", new Quantity("10Gi")).build());
        client.resource(claim).updateStatus();

        client.resources(EtcdCluster.class).inNamespace(ns).withName("grow").patch(MERGE, "{\"spec\":{\"storage\":{\"size\":\"20Gi\"}}}");

        await().atMost(WAIT).untilAsserted(() -> assertThat(client.persistentVolumeClaims().inNamespace(ns)
                .withName("data-grow-0").get().getSpec().getResources().getRequests().get("storage").toString()).isEqualTo("20Gi"));
        assertThat(client.apps().statefulSets().inNamespace(ns).withName("grow").get().getSpec().getVolumeClaimTemplates().get(0)
                .getSpec().getResources().getRequests().get("storage").toString())
                .as("a real API server rejects changes to volumeClaimTemplates").isEqualTo("10Gi");
        assertNothingRefusedIn(ns);
    }

    /**
     * {@code kubectl label statefulset/... team=storage}: server-side apply owns only the operator's
     * fields, so a user's label stays through the operator's next applies of the same objects.
     */
    @Test
    void aLabelAUserAddedSurvivesTheFollowingReconciles() throws Exception {
        String ns = namespace("labels");
        create(ns, """
                metadata: {name: labelled}
                spec: {replicas: 3}
                """);
        await().atMost(WAIT).until(() -> client.apps().statefulSets().inNamespace(ns).withName("labelled").get() != null
                && client.services().inNamespace(ns).withName("labelled-peer").get() != null);
        String userLabel = "{\"metadata\":{\"labels\":{\"team\":\"storage\"}}}";
        client.apps().statefulSets().inNamespace(ns).withName("labelled").patch(MERGE, userLabel);
        client.services().inNamespace(ns).withName("labelled-peer").patch(MERGE, userLabel);
        int stsApplies = applies(ns, "statefulsets", "labelled");
        int peerApplies = applies(ns, "services", "labelled-peer");

        // A spec edit that changes the desired StatefulSet: the operator applies it again.
        client.resources(EtcdCluster.class).inNamespace(ns).withName("labelled")
                .patch(MERGE, "{\"spec\":{\"replicas\":5,\"podTemplate\":{\"annotations\":{\"example.com/note\":\"edited\"}}}}");
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(applies(ns, "statefulsets", "labelled")).as("applies of the StatefulSet").isGreaterThan(stsApplies);
            assertThat(client.apps().statefulSets().inNamespace(ns).withName("labelled").get()
                    .getSpec().getTemplate().getMetadata().getAnnotations()).containsEntry("example.com/note", "edited");
        });
        // A restarted operator has no memory of its applies and applies every object once (the peer Service too).
        operator.close();
        operator = OperatorProcess.start(install, "operator-1", Map.of());
        operator.awaitReady(Duration.ofSeconds(60));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(applies(ns, "services", "labelled-peer")).as("applies of the peer Service").isGreaterThan(peerApplies));
        Thread.sleep(1000); // and some resyncs

        for (HasMetadata o : List.of(client.apps().statefulSets().inNamespace(ns).withName("labelled").get(),
                client.services().inNamespace(ns).withName("labelled-peer").get())) {
            assertThat(o.getMetadata().getLabels()).as(o.getKind() + " labels")
                    .containsEntry("team", "storage")
                    .containsEntry("etcd.storageos.com/cluster", "labelled");
        }
        assertNothingRefusedIn(ns);
    }

    /**
     * A write the API server refuses (here a ResourceQuota that admits no PodDisruptionBudget) is on the
     * status and in one Warning Event, in the server's own words, and goes through once the quota allows it.
     */
    @Test
    void aRefusedWriteIsOnTheStatusAndInAnEventUntilItGoesThrough() {
        String ns = namespace(QUOTA_NAMESPACE);
        ResourceQuota quota = client.resource(new ResourceQuotaBuilder().withNewMetadata().withName("no-budgets").withNamespace(ns).endMetadata()
                .withNewSpec().addToHard("count/poddisruptionbudgets.policy", new Quantity("0")).endSpec().build()).create();
        // Admission enforces what the quota's status says; with no controller manager here, the test writes it.
        quota.setStatus(new ResourceQuotaStatusBuilder().addToHard("count/poddisruptionbudgets.policy", new Quantity("0"))
                .addToUsed("count/poddisruptionbudgets.policy", new Quantity("0")).build());
        client.resource(quota).updateStatus();
        create(ns, """
                metadata: {name: quota}
                spec: {}
                """);

        await().atMost(WAIT).untilAsserted(() -> {
            EtcdCluster seen = cluster(ns, "quota");
            assertThat(Conditions.find(seen.getStatus() == null ? null : seen.getStatus().getConditions(), Conditions.DEGRADED))
                    .hasValueSatisfying(degraded -> {
                        assertThat(degraded.getStatus()).isEqualTo("True");
                        assertThat(degraded.getReason()).isEqualTo("StepFailed");
                        assertThat(degraded.getMessage()).contains("403").contains("poddisruptionbudgets");
                    });
            assertThat(client.v1().events().inNamespace(ns).list().getItems())
                    .anySatisfy(e -> assertThat(e.getReason() + " " + e.getType()).isEqualTo("StepFailed Warning"));
        });
        client.resourceQuotas().inNamespace(ns).withName("no-budgets").delete();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(client.policy().v1().podDisruptionBudget().inNamespace(ns).withName("quota").get()).isNotNull();
            assertThat(Conditions.find(cluster(ns, "quota").getStatus().getConditions(), Conditions.DEGRADED))
                    .hasValueSatisfying(c -> assertThat(c.getReason()).isNotEqualTo("StepFailed"));
        });
    }
}
