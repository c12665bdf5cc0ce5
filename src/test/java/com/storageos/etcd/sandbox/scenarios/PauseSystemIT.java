package com.storageos.etcd.sandbox.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.desired.PauseRequest;
import com.storageos.etcd.sandbox.Sandbox;
import com.storageos.etcd.sandbox.SandboxCluster;
import com.storageos.etcd.status.Conditions;
import com.storageos.etcd.testing.kube.AuditLog;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pause annotation on the real control plane: a paused cluster whose spec.replicas goes 3->5 gets no
 * write from the operator but its status condition (counted in the API server's audit log) for 20 s;
 * removing the annotation resumes and the cluster grows to 5.
 */
class PauseSystemIT {
    static final String NAME = "paused";

    @TempDir
    Path root;

    @Test
    void aPausedClusterGetsNoWriteButItsConditionAndResumesWhenUnpaused() throws Exception {
        try (SandboxCluster c = SandboxCluster.start(root, NAME)) {
            c.create(SandboxCluster.yaml(NAME, 3, ""));
            c.awaitReady(3, Duration.ofSeconds(90));
            Thread.sleep(5_000); // let the last status write settle
            int before = c.sandbox().plane().audit().writes(ConvergedSystemIT.OPERATOR).size();

            annotate(c, "\"true\"");
            c.patchReplicas(5); // a spec change wakes the operator at once; it finds the annotation
            long t0 = System.nanoTime();
            while (SandboxCluster.millisSince(t0) < 20_000) {
                assertThat(statefulSetReplicas(c)).as("StatefulSet replicas while paused").isEqualTo(3);
                assertThat(c.cluster().getStatus().getMembers()).as("members while paused").hasSize(3);
                assertThat(c.cluster().getStatus().getPendingChange()).as("journal while paused").isNull();
                Thread.sleep(250);
            }
            assertThat(progressingReason(c.cluster())).as("Progressing's reason").isEqualTo("Paused");
            List<AuditLog.Entry> writes = c.sandbox().plane().audit().writes(ConvergedSystemIT.OPERATOR);
            List<AuditLog.Entry> during = writes.subList(before, writes.size()).stream()
                    .filter(e -> !"leases".equals(e.resource())).toList(); // leader election's heartbeat
            assertThat(during).as("the operator's writes while paused").isNotEmpty()
                    .allSatisfy(e -> assertThat(e.resource() + "/" + e.subresource()).as(e.toString()).isEqualTo("etcdclusters/status"));

            long t1 = System.nanoTime();
            annotate(c, "null");
            c.awaitReady(5, Duration.ofSeconds(120));
            System.out.printf("paused cluster: %d write requests by the operator in %d s while paused (all etcdclusters/status),"
                    + " unpaused 3->5 Ready in %d ms%n", during.size(), 20, SandboxCluster.millisSince(t1));
            assertThat(c.sandbox().plane().audit().refused(ConvergedSystemIT.OPERATOR)).as("refused requests").isEmpty();
        }
    }

    /** A merge patch of the pause annotation, as {@code kubectl annotate} does; {@code null} removes it. */
    private static void annotate(SandboxCluster c, String value) {
        c.sandbox().client().resources(EtcdCluster.class).inNamespace(Sandbox.NAMESPACE).withName(NAME)
                .patch(PatchContext.of(PatchType.JSON_MERGE),
                        "{\"metadata\":{\"annotations\":{\"" + PauseRequest.ANNOTATION + "\":" + value + "}}}");
    }

    private static String progressingReason(EtcdCluster cluster) {
        return Conditions.find(cluster.getStatus().getConditions(), Conditions.PROGRESSING).map(c -> c.getReason()).orElse("");
    }

    private static int statefulSetReplicas(SandboxCluster c) {
        return c.sandbox().client().apps().statefulSets().inNamespace(Sandbox.NAMESPACE).withName(NAME).get().getSpec().getReplicas();
    }
}
