package com.storageos.etcd.sandbox.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.storageos.etcd.api.v1alpha1.status.MemberStatus;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.reconciler.etcdcluster.ContinuousWriter;
import com.storageos.etcd.sandbox.Chaos;
import com.storageos.etcd.sandbox.Sandbox;
import com.storageos.etcd.sandbox.SandboxCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole sandbox: a real kube-apiserver and kube-controller-manager, the packaged operator under
 * the chart's RBAC, and a node running the member pods as real etcd processes. A leader's container
 * killed (restarted in place), 3->5 through the scale subresource with the operator killed
 * mid-change, 5->3, and a lost node (pod and claim), while a writer puts sequence numbers throughout: at the
 * end every acknowledged write must be readable and the cluster was never unavailable for long.
 */
class SandboxSystemIT {
    static final String NAME = "storageos-etcd";
    @TempDir
    Path root;
    SandboxCluster fixture;
    Sandbox sandbox;
    ClusterNames names;

    @BeforeEach
    void start() throws Exception {
        fixture = SandboxCluster.start(root, NAME);
        sandbox = fixture.sandbox();
        names = fixture.names();
    }

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void clusterFormsScalesAndHealsWithoutLosingAnAcknowledgedWrite() throws Exception {
        long t0 = System.nanoTime();
        fixture.create(SandboxCluster.yaml(NAME, 3, ""));
        fixture.awaitReady(3, Duration.ofSeconds(90));
        long toReady = SandboxCluster.millisSince(t0);

        try (ContinuousWriter writer = new ContinuousWriter(fixture.clientUrls());
             HealthSampler health = new HealthSampler(IntStream.range(0, 5)
                     .mapToObj(i -> "http://" + sandbox.addressing().memberHost(names, i) + ":2381/health").toList())) {
            String leader = fixture.cluster().getStatus().getLeader();
            sandbox.node().killContainer(Sandbox.NAMESPACE, leader);
            // The kubelet restarts the killed container in place (the same member may well win the next election).
            await().atMost(Duration.ofSeconds(30)).until(() -> restartCount(leader) >= 1);
            fixture.awaitReady(3, Duration.ofSeconds(60));

            long t2 = System.nanoTime();
            fixture.scale(5);
            await().atMost(Duration.ofSeconds(30)).until(() -> fixture.cluster().getStatus().getPendingChange() != null);
            sandbox.killOperator(); // mid-change: the journal in the status is the operator's only memory
            fixture.awaitReady(5, Duration.ofSeconds(120));
            long toFive = SandboxCluster.millisSince(t2);

            long t3 = System.nanoTime();
            fixture.scale(3);
            // Well before the 30 s resync: a scale landing mid-reconcile once stayed unseen while the status said Converged.
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(fixture.cluster().getStatus().getObservedGeneration())
                    .as("the operator saw the scale-down").isEqualTo(fixture.cluster().getMetadata().getGeneration()));
            fixture.awaitReady(3, Duration.ofSeconds(90));
            long toThree = SandboxCluster.millisSince(t3);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(sandbox.client().pods().inNamespace(Sandbox.NAMESPACE).list().getItems()).hasSize(3);
                assertThat(sandbox.client().persistentVolumeClaims().inNamespace(Sandbox.NAMESPACE).list().getItems()).hasSize(3);
                assertThat(sandbox.client().persistentVolumes().list().getItems()).as("released volumes are reclaimed").hasSize(3);
            });

            String lost = names.member(fixture.cluster().getStatus().getLeader().equals(names.member(1)) ? 2 : 1);
            String lostId = memberId(lost);
            long t4 = System.nanoTime();
            sandbox.node().losePodAndClaim(Sandbox.NAMESPACE, lost);
            await().atMost(Duration.ofSeconds(120)).until(() -> !lostId.equals(memberId(lost)) && Chaos.ready(fixture.cluster()));
            fixture.awaitReady(3, Duration.ofSeconds(30));
            long nodeRepair = SandboxCluster.millisSince(t4);

            Thread.sleep(500);
            writer.close();
            health.close();
            fixture.assertEveryAcknowledgedWriteReadable(writer.acknowledged(), 100);
            System.out.printf("sandbox system IT: Ready(3) %d ms, 3->5 %d ms (operator killed mid-change), "
                            + "5->3 %d ms, lost-node repair %d ms, longest /health outage %d ms (%d samples), longest write outage %d ms, "
                            + "%d acknowledged writes%n",
                    toReady, toFive, toThree, nodeRepair, health.longestOutageMillis(), health.samples(),
                    writer.longestOutageMillis(), writer.acknowledged().size());
            assertThat(health.longestOutageMillis()).as("the cluster is never unavailable for long").isLessThan(15_000);
        }
    }

    private int restartCount(String pod) {
        var p = sandbox.client().pods().inNamespace(Sandbox.NAMESPACE).withName(pod).get();
        return p == null || p.getStatus() == null || p.getStatus().getContainerStatuses().isEmpty() ? 0
                : p.getStatus().getContainerStatuses().get(0).getRestartCount();
    }

    private String memberId(String name) {
        return fixture.cluster().getStatus().getMembers().stream().filter(m -> name.equals(m.getName())).map(MemberStatus::getId)
                .findFirst().orElse("");
    }
}
