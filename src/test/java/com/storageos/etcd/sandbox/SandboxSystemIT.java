package com.storageos.etcd.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.status.MemberStatus;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.naming.LoopbackMemberAddressing;
import com.storageos.etcd.reconciler.etcdcluster.ContinuousWriter;
import io.etcd.jetcd.Client;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
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
    Sandbox sandbox;
    ClusterNames names = new ClusterNames(NAME, Sandbox.NAMESPACE);

    @BeforeEach
    void start() throws Exception {
        var addressing = new LoopbackMemberAddressing(ThreadLocalRandom.current().nextInt(2, 250), ThreadLocalRandom.current().nextInt(1, 250));
        sandbox = new Sandbox(root, addressing).start();
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    @Test
    void clusterFormsScalesAndHealsWithoutLosingAnAcknowledgedWrite() throws Exception {
        long t0 = System.nanoTime();
        sandbox.apply(new ByteArrayInputStream(yaml(3).getBytes(StandardCharsets.UTF_8)));
        awaitReady(3, Duration.ofSeconds(60));
        long toReady = millisSince(t0);

        try (ContinuousWriter writer = new ContinuousWriter(clientUrls());
             HealthSampler health = new HealthSampler(IntStream.range(0, 5)
                     .mapToObj(i -> "http://" + sandbox.addressing().memberHost(names, i) + ":2381/health").toList())) {
            sandbox.restartOperator();

            String leader = cluster().getStatus().getLeader();
            sandbox.kubelet().kill(Sandbox.NAMESPACE, leader);
            // The kubelet restarts the killed container (the same member may well win the next election).
            await().atMost(Duration.ofSeconds(30)).until(() -> sandbox.client().pods().inNamespace(Sandbox.NAMESPACE).withName(leader).get()
                    .getStatus().getContainerStatuses().get(0).getRestartCount() >= 1);
            awaitReady(3, Duration.ofSeconds(60));
            sandbox.restartOperator();

            String follower = names.member(cluster().getStatus().getLeader().equals(names.member(2)) ? 1 : 2);
            String lostId = memberId(follower);
            long t1 = System.nanoTime();
            sandbox.kubelet().loseVolume(Sandbox.NAMESPACE, follower);
            await().atMost(Duration.ofSeconds(90)).until(() -> !lostId.equals(memberId(follower)) && Chaos.ready(cluster()));
            awaitReady(3, Duration.ofSeconds(30));
            long repair = millisSince(t1);

            long t2 = System.nanoTime();
            scale(5);
            Thread.sleep(3000);
            sandbox.restartOperator(); // mid-change: the journal in the status is the operator's only memory
            awaitReady(5, Duration.ofSeconds(90));
            long toFive = millisSince(t2);

            long t3 = System.nanoTime();
            scale(3);
            awaitReady(3, Duration.ofSeconds(90));
            long toThree = millisSince(t3);
            assertThat(sandbox.client().pods().inNamespace(Sandbox.NAMESPACE).list().getItems()).hasSize(3);

            Thread.sleep(500);
            writer.close();
            health.close();
            assertEveryAcknowledgedWriteReadable(writer.acknowledged());
            System.out.printf("sandbox system IT: Ready(3) %d ms, lost-volume repair %d ms, 3->5 %d ms, 5->3 %d ms, "
                            + "longest /health outage %d ms (%d samples), longest write outage %d ms, %d acknowledged writes%n",
                    toReady, repair, toFive, toThree, health.longestOutageMillis(), health.samples(), writer.longestOutageMillis(),
                    writer.acknowledged().size());
            assertThat(health.longestOutageMillis()).as("the cluster is never unavailable for long").isLessThan(15_000);
        }
    }

    private void awaitReady(int members, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            EtcdCluster c = cluster();
            assertThat(Chaos.ready(c)).as("Ready=True with nothing pending: %s", c.getStatus() == null ? null : c.getStatus().getConditions()).isTrue();
            assertThat(c.getStatus().getMembers()).hasSize(members).allSatisfy(m -> {
                assertThat(m.getRole()).isEqualTo("Voter");
                assertThat(m.getHealthy()).isTrue();
            });
        });
    }

    private void scale(int replicas) {
        // A merge patch, as `kubectl scale` or `kubectl patch` would: no resourceVersion to conflict with the operator's status writes.
        sandbox.client().resources(EtcdCluster.class).inNamespace(Sandbox.NAMESPACE).withName(NAME)
                .patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                        "{\"spec\":{\"replicas\":" + replicas + "}}");
    }

    private EtcdCluster cluster() {
        return sandbox.cluster(NAME).orElseThrow();
    }

    private String memberId(String name) {
        return cluster().getStatus().getMembers().stream().filter(m -> name.equals(m.getName())).map(MemberStatus::getId)
                .findFirst().orElse("");
    }

    private List<String> clientUrls() {
        return IntStream.range(0, 5).mapToObj(i -> sandbox.addressing().clientUrl(names, i, false)).toList();
    }

    private void assertEveryAcknowledgedWriteReadable(List<String> keys) throws Exception {
        assertThat(keys).hasSizeGreaterThan(100);
        try (Client reader = Client.builder().endpoints(clientUrls().subList(0, 3).stream().map(URI::create).toArray(URI[]::new)).build()) {
            for (String key : keys) {
                assertThat(reader.getKVClient().get(ContinuousWriter.bytes(key)).get(2, TimeUnit.SECONDS).getKvs())
                        .as("acknowledged write %s", key).hasSize(1);
            }
        }
    }

    private static String yaml(int replicas) {
        return """
                apiVersion: etcd.storageos.com/v1alpha1
                kind: EtcdCluster
                metadata:
                  name: %s
                spec:
                  replicas: %d
                """.formatted(NAME, replicas);
    }

    private static long millisSince(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos).toMillis();
    }
}
