package com.storageos.etcd.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.storageos.etcd.api.v1alpha1.status.MemberStatus;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.reconciler.etcdcluster.ContinuousWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole sandbox: mock API, StatefulSet emulator, process kubelet with real etcd and the real
 * bootstrap tool, and the real reconciler in a JOSDK operator that is restarted between steps.
 * A writer puts sequence numbers throughout; at the end every acknowledged write must be readable.
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
        fixture.close();
    }

    @Test
    void clusterFormsScalesAndHealsWithoutLosingAnAcknowledgedWrite() throws Exception {
        long t0 = System.nanoTime();
        fixture.create(SandboxCluster.yaml(NAME, 3, ""));
        fixture.awaitReady(3, Duration.ofSeconds(60));
        long toReady = SandboxCluster.millisSince(t0);

        try (ContinuousWriter writer = new ContinuousWriter(fixture.clientUrls());
             HealthSampler health = new HealthSampler(IntStream.range(0, 5)
                     .mapToObj(i -> "http://" + sandbox.addressing().memberHost(names, i) + ":2381/health").toList())) {
            sandbox.restartOperator();

            String leader = fixture.cluster().getStatus().getLeader();
            sandbox.kubelet().kill(Sandbox.NAMESPACE, leader);
            // The kubelet restarts the killed container (the same member may well win the next election).
            await().atMost(Duration.ofSeconds(30)).until(() -> sandbox.client().pods().inNamespace(Sandbox.NAMESPACE).withName(leader).get()
                    .getStatus().getContainerStatuses().get(0).getRestartCount() >= 1);
            fixture.awaitReady(3, Duration.ofSeconds(60));
            sandbox.restartOperator();

            String follower = names.member(fixture.cluster().getStatus().getLeader().equals(names.member(2)) ? 1 : 2);
            String lostId = memberId(follower);
            long t1 = System.nanoTime();
            sandbox.kubelet().loseVolume(Sandbox.NAMESPACE, follower);
            await().atMost(Duration.ofSeconds(90)).until(() -> !lostId.equals(memberId(follower)) && Chaos.ready(fixture.cluster()));
            fixture.awaitReady(3, Duration.ofSeconds(30));
            long repair = SandboxCluster.millisSince(t1);

            long t2 = System.nanoTime();
            fixture.scale(5);
            Thread.sleep(3000);
            sandbox.restartOperator(); // mid-change: the journal in the status is the operator's only memory
            fixture.awaitReady(5, Duration.ofSeconds(90));
            long toFive = SandboxCluster.millisSince(t2);

            long t3 = System.nanoTime();
            fixture.scale(3);
            fixture.awaitReady(3, Duration.ofSeconds(90));
            long toThree = SandboxCluster.millisSince(t3);
            assertThat(sandbox.client().pods().inNamespace(Sandbox.NAMESPACE).list().getItems()).hasSize(3);

            Thread.sleep(500);
            writer.close();
            health.close();
            fixture.assertEveryAcknowledgedWriteReadable(writer.acknowledged(), 100);
            System.out.printf("sandbox system IT: Ready(3) %d ms, lost-volume repair %d ms, 3->5 %d ms, 5->3 %d ms, "
                            + "longest /health outage %d ms (%d samples), longest write outage %d ms, %d acknowledged writes%n",
                    toReady, repair, toFive, toThree, health.longestOutageMillis(), health.samples(), writer.longestOutageMillis(),
                    writer.acknowledged().size());
            assertThat(health.longestOutageMillis()).as("the cluster is never unavailable for long").isLessThan(15_000);
        }
    }




    private String memberId(String name) {
        return fixture.cluster().getStatus().getMembers().stream().filter(m -> name.equals(m.getName())).map(MemberStatus::getId)
                .findFirst().orElse("");
    }




}
