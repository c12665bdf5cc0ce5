package com.storageos.etcd.sandbox.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.storageos.etcd.api.v1alpha1.status.RecoveryStatus;
import com.storageos.etcd.desired.RecoveryAnnotation;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.reconciler.etcdcluster.ContinuousWriter;
import com.storageos.etcd.sandbox.Sandbox;
import com.storageos.etcd.sandbox.SandboxCluster;
import io.fabric8.kubernetes.api.model.Condition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real network partition between the operator and two of three members (iptables drops what the operator's process
 * sends them), while the members still reach each other and a writer writes through all three. The operator must not
 * call that a quorum loss: no QuorumLost, a recovery request refused with why, no membership change, nothing lost.
 * Then a real quorum loss (two members' processes killed and their volumes wiped) must still show as QuorumLost
 * within 10 s.
 */
class OperatorPartitionSystemIT {
    static final String NAME = "storageos-etcd";
    private static final Duration PARTITION = Duration.ofSeconds(45);
    @TempDir
    Path root;
    OperatorPartition partition;
    SandboxCluster fixture;

    @AfterEach
    void stop() {
        try {
            if (fixture != null) {
                fixture.close();
            }
        } finally {
            if (partition != null) {
                partition.close();
            }
        }
    }

    @Test
    void anOperatorCutOffFromTwoServingMembersNeitherReportsQuorumLostNorRecoversButARealLossShowsWithinTenSeconds() throws Exception {
        partition = OperatorPartition.create();
        fixture = SandboxCluster.start(root, NAME, partition.launcher());
        Sandbox sandbox = fixture.sandbox();
        ClusterEvidence evidence = new ClusterEvidence(fixture, NAME);
        ClusterNames names = fixture.names();
        fixture.create(SandboxCluster.yaml(NAME, 3, ""));
        fixture.awaitReady(3, Duration.ofSeconds(90));
        try (ContinuousWriter writer = new ContinuousWriter(fixture.clientUrls().subList(0, 3))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> writer.acknowledged().size() > 50);
            Map<String, String> ids = evidence.memberIds();
            Map<String, String> podUids = evidence.podUids();
            List<String> cutOff = List.of(names.member(1), names.member(2));

            ConcurrentLinkedQueue<String> reasons = new ConcurrentLinkedQueue<>();
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
            int acknowledgedBefore = writer.acknowledged().size();
            long cutAt = System.nanoTime();
            try {
                partition.cut(sandbox.addressing().memberHost(names, 1));
                partition.cut(sandbox.addressing().memberHost(names, 2));
                assertThat(partition.rules()).isEqualTo(2);
                sampler.scheduleAtFixedRate(() -> reasons.add(available(evidence).map(Condition::getReason).orElse("none")),
                        0, 1, TimeUnit.SECONDS);

                // The operator says it cannot tell, names whom it cannot reach, and offers nothing destructive.
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(available(evidence))
                        .hasValueSatisfying(c -> assertThat(c.getReason()).isEqualTo("MembersUnreachable")));
                Condition unknown = available(evidence).orElseThrow();
                assertThat(unknown.getStatus()).isEqualTo("Unknown");
                assertThat(unknown.getMessage()).contains("cannot reach " + String.join(", ", cutOff)).doesNotContain("kubectl annotate");

                // A recovery asked for as the user did is refused, with why.
                fixture.annotate(RecoveryAnnotation.ANNOTATION, "during-partition");
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(recovery(fixture))
                        .hasValueSatisfying(r -> assertThat(r.getRequest()).isEqualTo("during-partition")));
                RecoveryStatus refused = recovery(fixture).orElseThrow();
                assertThat(refused.getOutcome()).isEqualTo("Refused");
                assertThat(refused.getMessage()).contains("cannot reach " + String.join(", ", cutOff)).contains("Nothing was changed");

                long left = PARTITION.toMillis() - SandboxCluster.millisSince(cutAt);
                if (left > 0) {
                    Thread.sleep(left);
                }
            } finally {
                sampler.shutdownNow();
                partition.heal();
            }
            long partitionMillis = SandboxCluster.millisSince(cutAt);
            int acknowledgedDuring = writer.acknowledged().size() - acknowledgedBefore;
            assertThat(partition.rules()).isZero();
            assertThat(reasons).as("Available's reason, sampled every second of the partition").hasSizeGreaterThan(30)
                    .doesNotContain("QuorumLost").contains("MembersUnreachable");
            assertThat(acknowledgedDuring).as("the members kept serving the writer").isGreaterThan(100);
            assertThat(evidence.memberIds()).as("no member removed or replaced").isEqualTo(ids);
            assertThat(evidence.podUids()).as("no pod restarted").isEqualTo(podUids);
            assertThat(fixture.cluster().getStatus().getPendingChange()).isNull();
            assertThat(evidence.eventReasons()).contains("RecoveryRefused", "MembersUnreachable").doesNotContain("RecoveryStarted");

            // Healed: the operator reaches every member again by itself, and every acknowledged write is there.
            fixture.awaitReady(3, Duration.ofSeconds(60));
            assertThat(evidence.memberIds()).isEqualTo(ids);
            List<String> beforeLoss = writer.acknowledged();
            long longestOutage = writer.longestOutageMillis();
            fixture.assertEveryAcknowledgedWriteReadable(beforeLoss, acknowledgedBefore);

            // A real loss: the two followers lose their process and their disk; the leader is left without a quorum.
            String leader = fixture.cluster().getStatus().getLeader();
            List<String> lost = ids.keySet().stream().filter(n -> !n.equals(leader)).sorted().toList();
            long lossAt = System.nanoTime();
            for (String member : lost) {
                sandbox.node().wipeVolume(Sandbox.NAMESPACE, member);
            }
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> assertThat(available(evidence))
                    .hasValueSatisfying(c -> assertThat(c.getReason()).isEqualTo("QuorumLost")));
            long lossToQuorumLost = SandboxCluster.millisSince(lossAt);
            assertThat(available(evidence).orElseThrow().getMessage()).contains("kubectl annotate etcdcluster/" + NAME);
            System.out.printf("operator partition system IT: %d s cut off from %s, Available sampled %d times (%s), %d writes"
                            + " acknowledged meanwhile (longest write outage %d ms), recovery refused; a real loss showed as QuorumLost"
                            + " after %d ms%n", partitionMillis / 1000, cutOff, reasons.size(), reasons.stream().distinct().toList(),
                    acknowledgedDuring, longestOutage, lossToQuorumLost);
        }
    }

    private static Optional<Condition> available(ClusterEvidence evidence) {
        try {
            return Optional.of(evidence.available());
        } catch (RuntimeException none) {
            return Optional.empty();
        }
    }

    private static Optional<RecoveryStatus> recovery(SandboxCluster fixture) {
        return Optional.ofNullable(fixture.cluster().getStatus()).map(s -> s.getRecovery());
    }
}
