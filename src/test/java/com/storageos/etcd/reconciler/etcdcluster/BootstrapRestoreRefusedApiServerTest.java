package com.storageos.etcd.reconciler.etcdcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.naming.Labels;
import com.storageos.etcd.status.Conditions;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import org.junit.jupiter.api.Test;

/**
 * A new EtcdCluster whose spec.bootstrap.restore names a point the store cannot serve: member 0's bootstrap refuses it
 * (RestoreRefused: in its termination message, the init container failing), and the cluster says so in Ready, Degraded
 * and Progressing instead of Bootstrapping forever. The API server has no kubelet: the test plays member 0's pod.
 */
class BootstrapRestoreRefusedApiServerTest extends OperatorOnApiServer {
    private static final String REFUSAL = "RestoreRefused: cannot restore revision 9: no backup's chain reaches back to revision 9";

    @Test
    void aRefusedBootstrapRestoreIsNotReadyDegradedAndNotProgressingWithTheBootstrapsMessage() {
        ClusterNames names = new ClusterNames("kv", namespace("refused"));
        create(names.namespace(), """
                metadata: {name: kv}
                spec:
                  bootstrap:
                    restore: {backup: latest, revision: 9, pvc: {claimName: etcd-backups}}
                """);
        await().atMost(WAIT).ignoreExceptions().until(() -> "Bootstrap".equals(cluster(names.namespace(), "kv").getStatus()
                .getPendingChange().getOperation()));
        refusedMemberZero(names);

        await().atMost(WAIT).untilAsserted(() -> {
            EtcdCluster seen = cluster(names.namespace(), "kv");
            assertThat(Conditions.find(seen.getStatus().getConditions(), Conditions.READY)).hasValueSatisfying(c -> {
                assertThat(c.getStatus()).isEqualTo("False");
                assertThat(c.getReason()).isEqualTo("RestoreRefused");
                assertThat(c.getMessage()).contains(REFUSAL);
            });
            assertThat(Conditions.find(seen.getStatus().getConditions(), Conditions.DEGRADED)).hasValueSatisfying(c -> {
                assertThat(c.getStatus()).isEqualTo("True");
                assertThat(c.getReason()).isEqualTo("RestoreRefused");
                assertThat(c.getMessage()).contains(REFUSAL).contains("delete etcdcluster/kv and its claim data-kv-0");
            });
            assertThat(Conditions.find(seen.getStatus().getConditions(), Conditions.PROGRESSING)).hasValueSatisfying(c -> {
                assertThat(c.getStatus()).isEqualTo("False");
                assertThat(c.getReason()).isEqualTo("RestoreRefused");
            });
        });
        assertNothingRefusedIn(names.namespace());
    }

    /** Member 0's pod as the kubelet reports it after its bootstrap init container exited 1 with the refusal, waiting to retry. */
    private static void refusedMemberZero(ClusterNames names) {
        Pod pod = client.pods().inNamespace(names.namespace()).resource(new PodBuilder()
                .withNewMetadata().withName(names.member(0)).withLabels(Labels.forComponent(names.cluster(), "member")).endMetadata()
                .withNewSpec().withServiceAccountName(names.memberServiceAccount()).withAutomountServiceAccountToken(false)
                .addNewInitContainer().withName("bootstrap").withImage("operator").endInitContainer()
                .addNewContainer().withName("etcd").withImage("etcd").endContainer().endSpec().build()).create();
        pod.setStatus(new PodStatusBuilder().withPhase("Pending").withInitContainerStatuses(new ContainerStatusBuilder().withName("bootstrap")
                .withImage("operator").withReady(false).withRestartCount(1)
                .withNewState().withNewWaiting().withReason("CrashLoopBackOff").endWaiting().endState()
                .withNewLastState().withNewTerminated().withExitCode(1).withMessage(REFUSAL).endTerminated().endLastState().build())
                .build());
        client.pods().inNamespace(names.namespace()).resource(pod).updateStatus();
    }
}
