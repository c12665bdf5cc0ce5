package com.storageos.etcd.reconciler.etcdcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.status.ContinuousBackupStatus;
import com.storageos.etcd.api.v1alpha1.status.RecoveryPointStatus;
import com.storageos.etcd.clusterstatus.ClusterStatusWriter;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * spec.backup.continuous on a real API server, under the chart's RBAC: the agent's Deployment comes, comes back when
 * deleted, and goes when turned off; the recovery point the agent writes reaches the operator's gauge without waiting for
 * a resync, and no reconcile of the operator overwrites it.
 */
class BackupAgentApiServerTest extends OperatorOnApiServer {
    private static final String NS = "agent";

    @Test
    void theAgentRunsWhileContinuousIsOnAndItsRecoveryPointIsTheGauge() throws Exception {
        create(namespace(NS), """
                metadata: {name: kv}
                spec:
                  backup: {schedule: "0 * * * *", pvc: {claimName: etcd-backups}, continuous: {enabled: true}}
                """);
        await().atMost(WAIT).untilAsserted(() -> assertThat(agent()).isNotNull());
        Deployment d = agent();
        assertThat(d.getSpec().getReplicas()).isEqualTo(1);
        assertThat(d.getSpec().getStrategy().getType()).isEqualTo("Recreate");
        assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs()).containsExactly("tool", "follow");
        assertThat(d.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo("kv-tool");
        PodSpec job = client.batch().v1().cronjobs().inNamespace(NS).withName("kv-backup").get()
                .getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
        assertThat(job.getAffinity().getPodAffinity().getRequiredDuringSchedulingIgnoredDuringExecution())
                .as("the backup Jobs run on the agent's node").singleElement()
                .satisfies(t -> assertThat(t.getLabelSelector().getMatchLabels()).isEqualTo(d.getSpec().getSelector().getMatchLabels()));

        client.apps().deployments().inNamespace(NS).withName("kv-backup-agent").delete();
        await().atMost(WAIT).untilAsserted(() -> assertThat(agent()).as("recreated").isNotNull()
                .satisfies(again -> assertThat(again.getMetadata().getUid()).isNotEqualTo(d.getMetadata().getUid())));

        // The agent's status write (tool follow every 5 s): the gauge follows it at once, not at the next resync (30 s).
        Instant asOf = Instant.now().minusSeconds(3);
        new ClusterStatusWriter(client).update(cluster(), s -> {
            ContinuousBackupStatus own = new ContinuousBackupStatus();
            own.setRecoveryPoint(new RecoveryPointStatus(4242L, asOf.toString()));
            own.setFailedChunkWrites(2L);
            s.setContinuousBackup(own);
        });
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(operator.get("/q/metrics"))
                .containsPattern("etcd_operator_backup_recovery_point_revision\\{[^}]*namespace=\"agent\"[^}]*} 4242")
                .containsPattern("etcd_operator_backup_chunk_write_failures_total\\{[^}]*namespace=\"agent\"[^}]*} 2")
                .containsPattern("etcd_operator_backup_recovery_point_age_seconds\\{[^}]*namespace=\"agent\"[^}]*} [0-9]"));
        // A reconcile (a spec change wakes one) writes its own status fields and keeps the agent's.
        client.resources(EtcdCluster.class).inNamespace(NS).withName("kv").patch(MERGE,
                "{\"spec\":{\"backup\":{\"suspend\":true}}}");
        await().atMost(WAIT).untilAsserted(() -> assertThat(cluster().getStatus().getObservedGeneration())
                .isEqualTo(cluster().getMetadata().getGeneration()));
        assertThat(cluster().getStatus().getContinuousBackup().getRecoveryPoint().getRevision()).isEqualTo(4242L);

        client.resources(EtcdCluster.class).inNamespace(NS).withName("kv").patch(MERGE,
                "{\"spec\":{\"backup\":{\"continuous\":{\"enabled\":false}}}}");
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(agent()).as("turned off: the agent goes").isNull();
            assertThat(operator.get("/q/metrics")).doesNotContain("etcd_operator_backup_recovery_point_age_seconds{");
        });
        assertThat(client.batch().v1().cronjobs().inNamespace(NS).withName("kv-backup").get().getSpec().getJobTemplate().getSpec()
                .getTemplate().getSpec().getAffinity()).as("no agent, no affinity to it").isNull();
    }

    private static Deployment agent() {
        return client.apps().deployments().inNamespace(NS).withName("kv-backup-agent").get();
    }

    private static EtcdCluster cluster() {
        return client.resources(EtcdCluster.class).inNamespace(NS).withName("kv").get();
    }
}
