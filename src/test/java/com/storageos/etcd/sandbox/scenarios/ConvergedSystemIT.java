package com.storageos.etcd.sandbox.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.sandbox.PrometheusScrape;
import com.storageos.etcd.sandbox.Sandbox;
import com.storageos.etcd.sandbox.SandboxCluster;
import com.storageos.etcd.testing.kube.AuditLog;
import com.storageos.etcd.testing.kube.OperatorInstall;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A converged cluster on the real control plane: what the operator writes and reads while nothing changes
 * (counted from the API server's audit log, so server-side apply no-ops count too), and whether a
 * label a user adds to a managed object survives the reconciles that follow.
 */
class ConvergedSystemIT {
    static final String OPERATOR = AuditLog.serviceAccountUser(OperatorInstall.NAMESPACE, "etcd-operator");
    static final String LABEL = "{\"metadata\":{\"labels\":{\"team\":\"storage\"}}}";

    @TempDir
    Path root;

    @Test
    void aConvergedClusterCostsNoWritesAndKeepsAUsersLabels() throws Exception {
        try (SandboxCluster c = SandboxCluster.start(root, "quiet")) {
            c.create(SandboxCluster.yaml("quiet", 3, ""));
            c.awaitReady(3, Duration.ofMinutes(3));
            Thread.sleep(10_000); // let the last status write and the PDB's status settle
            KubernetesClient admin = c.sandbox().client();
            int before = c.sandbox().plane().audit().writes(OPERATOR).size();
            int requestsBefore = c.sandbox().plane().audit().entries().size();
            long reconcilesBefore = reconciles(c);

            // Each of these wakes the operator (a change to an object it owns); none asks it to change anything.
            admin.apps().statefulSets().inNamespace(Sandbox.NAMESPACE).withName("quiet").patch(PatchContext.of(PatchType.JSON_MERGE), LABEL);
            Thread.sleep(5_000);
            admin.services().inNamespace(Sandbox.NAMESPACE).withName("quiet-client").patch(PatchContext.of(PatchType.JSON_MERGE), LABEL);
            Thread.sleep(35_000);

            List<AuditLog.Entry> writes = c.sandbox().plane().audit().writes(OPERATOR);
            // Lease renewals are leader election's heartbeat, not reconciling.
            List<AuditLog.Entry> during = writes.subList(before, writes.size()).stream()
                    .filter(e -> !"leases".equals(e.resource())).toList();
            long reconciled = reconciles(c) - reconcilesBefore;
            System.out.printf("converged 3-member cluster: %d write requests by the operator in 40 s, over %d reconciles%n",
                    during.size(), reconciled);
            List<AuditLog.Entry> all = c.sandbox().plane().audit().entries();
            // Reads too: the objects come from the informers' caches, so the member pod list is the one request a
            // converged reconcile makes (no PVC list, no GET of the StatefulSet, its Services, RBAC, budget or CronJobs).
            List<AuditLog.Entry> reads = all.subList(requestsBefore, all.size()).stream()
                    .filter(e -> e.user().equals(OPERATOR) && !e.write() && !"watch".equals(e.verb()) && !"leases".equals(e.resource()))
                    .toList();
            System.out.printf("converged 3-member cluster: %d read requests by the operator in 40 s%n", reads.size());
            assertThat(reconciled).as("reconciles in the window").isPositive();
            assertThat(during).as("write requests while converged").isEmpty();
            assertThat(reads).as("read requests while converged").allSatisfy(e -> {
                assertThat(e.verb()).isEqualTo("list");
                assertThat(e.resource()).isEqualTo("pods");
            });
            assertThat(reads).as("member pod lists while converged: at most one per reconcile").hasSizeLessThanOrEqualTo((int) reconciled + 1); // one may still be running at the last scrape
            assertThat(admin.apps().statefulSets().inNamespace(Sandbox.NAMESPACE).withName("quiet").get().getMetadata().getLabels())
                    .containsEntry("team", "storage");
            assertThat(admin.services().inNamespace(Sandbox.NAMESPACE).withName("quiet-client").get().getMetadata().getLabels())
                    .containsEntry("team", "storage");
            assertThat(c.sandbox().plane().audit().refused(OPERATOR)).as("refused requests").isEmpty();
        }
    }

    /** How many EtcdCluster reconciles finished (JOSDK's timer count), from the operator's Prometheus endpoint. */
    private static long reconciles(SandboxCluster c) throws Exception {
        return (long) PrometheusScrape.of(c.sandbox().operator().get("/q/metrics"))
                .sum(PrometheusScrape.RECONCILE_TIMER + "_count", PrometheusScrape.ETCDCLUSTER_CONTROLLER);
    }
}
