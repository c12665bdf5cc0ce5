package com.storageos.etcd.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.testing.kube.AuditLog;
import com.storageos.etcd.testing.kube.ClusterWatch;
import com.storageos.etcd.testing.kube.ControlPlane;
import com.storageos.etcd.testing.kube.OperatorInstall;
import com.storageos.etcd.testing.kube.OperatorProcess;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Two operator replicas under the chart's RBAC, as the chart deploys them. Renewing the Lease needs
 * PATCH: without it the leader lost its lease after ~15 s on a real server and nobody took over.
 */
class LeaderElectionApiServerTest {
    static final String OPERATOR = AuditLog.serviceAccountUser(OperatorInstall.NAMESPACE, "etcd-operator");

    @Test
    void theStandbyTakesOverFromAKilledLeaderAndReconciles() throws Exception {
        try (ControlPlane plane = ControlPlane.start(false)) {
            OperatorInstall install = OperatorInstall.install(plane, Map.of());
            try (OperatorProcess a = OperatorProcess.start(install, "operator-a", Map.of());
                    OperatorProcess b = OperatorProcess.start(install, "operator-b", Map.of())) {
                a.awaitReady(Duration.ofSeconds(60));
                b.awaitReady(Duration.ofSeconds(60));
                String first = awaitHolder(plane, h -> true, Duration.ofSeconds(30));
                // Hold past several renewals: a renewal the chart forbids would lose the lease here.
                Thread.sleep(20_000);
                assertThat(OperatorInstall.leaseHolder(plane.admin())).as("the leader keeps its lease across renewals").contains(first);
                OperatorProcess leader = first.equals(a.name()) ? a : b;
                OperatorProcess standby = leader == a ? b : a;

                leader.kill();
                long killed = System.nanoTime();
                awaitHolder(plane, standby.name()::equals, Duration.ofSeconds(60));
                Duration takeover = Duration.ofNanos(System.nanoTime() - killed);
                System.out.printf("standby %s took the lease %d ms after kill -9 of %s%n", standby.name(), takeover.toMillis(), leader.name());
                // The lease lasts 15 s (JOSDK's default), then the standby retries every 2 s.
                assertThat(takeover).isLessThan(Duration.ofSeconds(25));

                createCluster(plane, "after-failover");
                assertThat(awaitStatefulSet(plane, "after-failover")).as("the new leader reconciles").isTrue();
                assertThat(standby.isAlive()).isTrue();
                assertThat(plane.audit().refused(OPERATOR)).isEmpty();
                // A pod deletion sends SIGTERM: the leader must stop well within the 30 s grace period.
                long term = System.nanoTime();
                assertThat(standby.terminate(Duration.ofSeconds(20))).as("the leader exits on SIGTERM").isTrue();
                System.out.printf("the leader exited %d ms after SIGTERM%n", Duration.ofNanos(System.nanoTime() - term).toMillis());
                // A rolling upgrade stops the leader this way: it hands the Lease back rather than hold it for 15 s.
                assertThat(OperatorInstall.leaseHolder(plane.admin())).as("the Lease after the leader stopped").isEmpty();
            }
        }
    }

    @Test
    void aStaleLeaseLeftByADeadHolderIsTakenOver() throws Exception {
        try (ControlPlane plane = ControlPlane.start(false)) {
            OperatorInstall install = OperatorInstall.install(plane, Map.of());
            ZonedDateTime longAgo = ZonedDateTime.now().minusMinutes(10);
            plane.admin().leases().inNamespace(OperatorInstall.NAMESPACE).resource(new LeaseBuilder()
                    .withNewMetadata().withName(OperatorInstall.LEASE_NAME).endMetadata()
                    .withNewSpec().withHolderIdentity("operator-dead").withLeaseDurationSeconds(15)
                    .withAcquireTime(longAgo).withRenewTime(longAgo).withLeaseTransitions(3).endSpec().build()).create();
            try (OperatorProcess operator = OperatorProcess.start(install, "operator-new", Map.of())) {
                operator.awaitReady(Duration.ofSeconds(60));
                awaitHolder(plane, "operator-new"::equals, Duration.ofSeconds(40));
                createCluster(plane, "after-stale-lease");
                assertThat(awaitStatefulSet(plane, "after-stale-lease")).isTrue();
                assertThat(plane.audit().refused(OPERATOR)).isEmpty();
            }
        }
    }

    private static String awaitHolder(ControlPlane plane, Predicate<String> wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<String> h = OperatorInstall.leaseHolder(plane.admin()).filter(wanted);
            if (h.isPresent()) {
                return h.get();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("lease holder not as wanted within " + timeout + ": " + OperatorInstall.leaseHolder(plane.admin()));
    }

    private static void createCluster(ControlPlane plane, String namespace) {
        plane.admin().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
        EtcdCluster cluster = plane.admin().getKubernetesSerialization().unmarshal("""
                apiVersion: etcd.storageos.com/v1alpha1
                kind: EtcdCluster
                metadata: {name: storageos-etcd}
                spec: {replicas: 1}
                """, EtcdCluster.class);
        plane.admin().resource(cluster).inNamespace(namespace).create();
    }

    private static boolean awaitStatefulSet(ControlPlane plane, String namespace) throws InterruptedException {
        return new ClusterWatch(plane.admin(), namespace, "storageos-etcd").awaitStatefulSet(Duration.ofSeconds(30)) != null;
    }
}
