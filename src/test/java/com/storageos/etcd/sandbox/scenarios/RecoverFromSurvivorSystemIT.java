package com.storageos.etcd.sandbox.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.storageos.etcd.api.v1alpha1.status.RecoveryStatus;
import com.storageos.etcd.desired.RecoveryAnnotation;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.reconciler.etcdcluster.ContinuousWriter;
import com.storageos.etcd.sandbox.Chaos;
import com.storageos.etcd.sandbox.Sandbox;
import com.storageos.etcd.sandbox.SandboxCluster;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recovery from a survivor on the real control plane, one cluster for every scenario, with a writer running
 * throughout. A request while quorum holds is refused and touches nothing. Then two of three members are
 * killed (-9) and their volumes wiped, which loses quorum; the request made with {@code kubectl annotate}
 * recovers from the survivor, with the operator killed (-9) halfway, and ends Ready with three voters and
 * every write acknowledged before the loss still there.
 */
class RecoverFromSurvivorSystemIT {
    static final String NAME = "storageos-etcd";
    @TempDir
    Path root;
    SandboxCluster fixture;
    Sandbox sandbox;
    ClusterEvidence evidence;
    ClusterNames names;

    @BeforeEach
    void start() throws Exception {
        fixture = SandboxCluster.start(root, NAME);
        sandbox = fixture.sandbox();
        evidence = new ClusterEvidence(fixture, NAME);
        names = fixture.names();
    }

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void aClusterThatLostTwoOfThreeMembersIsRecoveredFromTheSurvivorWithEveryAcknowledgedWrite() throws Exception {
        fixture.create(SandboxCluster.yaml(NAME, 3, ""));
        fixture.awaitReady(3, Duration.ofSeconds(90));
        try (ContinuousWriter writer = new ContinuousWriter(fixture.clientUrls())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> writer.acknowledged().size() > 50);

            // While quorum holds, a request is refused, recorded as handled, and nothing is touched.
            Map<String, String> ids = evidence.memberIds();
            Map<String, String> podUids = evidence.podUids();
            annotate("while-healthy");
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(recovery())
                    .hasValueSatisfying(r -> assertThat(r.getRequest()).isEqualTo("while-healthy")));
            RecoveryStatus refused = recovery().orElseThrow();
            assertThat(refused.getOutcome()).isEqualTo("Refused");
            assertThat(refused.getMessage()).contains("quorum holds (3 of 3 voters healthy)");
            assertThat(evidence.memberIds()).as("no member removed or replaced").isEqualTo(ids);
            assertThat(evidence.podUids()).as("no pod restarted").isEqualTo(podUids);
            assertThat(fixture.cluster().getStatus().getPendingChange()).isNull();
            assertThat(Chaos.ready(fixture.cluster())).isTrue();

            // The leader survives: it holds every write etcd acknowledged. The two followers lose their process and their disk.
            String survivor = fixture.cluster().getStatus().getLeader();
            String survivorId = ids.get(survivor);
            List<String> lost = ids.keySet().stream().filter(n -> !n.equals(survivor)).sorted().toList();
            for (String member : lost) {
                sandbox.node().wipeVolume(Sandbox.NAMESPACE, member);
            }
            long lossAt = System.nanoTime();
            // Evidence the loss took effect before anything else is read: the operator reports it, with what to do.
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(evidence.available().getReason()).isEqualTo("QuorumLost"));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(evidence.available().getMessage())
                    .contains("most advanced survivor, " + survivor)
                    .contains("kubectl annotate etcdcluster/" + NAME + " " + RecoveryAnnotation.ANNOTATION + "=$(date +%s)")
                    .contains("spec.bootstrap.restore"));
            List<String> beforeLoss = List.copyOf(writer.acknowledged());

            long requestedAt = System.nanoTime();
            annotate("after-loss");
            evidence.awaitJournal("RecoverFromSurvivor");
            evidence.awaitEvents("RecoveryStarted");
            sandbox.killOperator(); // mid-recovery: the journal in the status is the operator's only memory

            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                assertThat(recovery()).hasValueSatisfying(r -> assertThat(r.getOutcome()).as("%s", r.getMessage()).isEqualTo("Completed"));
                assertThat(Chaos.ready(fixture.cluster())).as("%s", fixture.cluster().getStatus().getConditions()).isTrue();
            });
            fixture.awaitReady(3, Duration.ofSeconds(60));
            long requestToReady = SandboxCluster.millisSince(requestedAt);

            RecoveryStatus done = recovery().orElseThrow();
            assertThat(done.getRequest()).isEqualTo("after-loss");
            assertThat(done.getSurvivor()).isEqualTo(survivor);
            assertThat(done.getSurvivorRaftIndex()).isPositive();
            assertThat(done.getRemovedMembers()).containsExactlyInAnyOrderElementsOf(lost);
            assertThat(done.getRequestedBy()).startsWith("kubectl-annotate");
            assertThat(done.getRequestedAt()).isNotBlank();
            Map<String, String> after = evidence.memberIds();
            assertThat(after.get(survivor)).as("the survivor keeps its member ID").isEqualTo(survivorId);
            lost.forEach(m -> assertThat(after.get(m)).as("%s rejoined under a new member ID", m).isNotNull().isNotEqualTo(ids.get(m)));
            assertThat(evidence.movedAside()).as("each removed member's volume keeps what was on it, moved aside").hasSize(lost.size());
            assertThat(evidence.eventReasons()).contains("RecoveryRefused", "RecoveryStarted", "ForcedNewCluster", "RecoveryCompleted");

            fixture.assertEveryAcknowledgedWriteReadable(beforeLoss, 50);
            Thread.sleep(500);
            writer.close();
            fixture.assertEveryAcknowledgedWriteReadable(writer.acknowledged(), beforeLoss.size());
            // etcd's floor for the same steps by hand: ForceNewClusterEtcdIT prints it.
            System.out.printf("recover from survivor system IT: request to Ready with 3 voters %d ms (operator killed once on the"
                            + " way; loss to request %d ms); %d writes acknowledged before the loss, %d in all, longest write"
                            + " outage %d ms%n", requestToReady, Duration.ofNanos(requestedAt - lossAt).toMillis(), beforeLoss.size(),
                    writer.acknowledged().size(), writer.longestOutageMillis());
        }
    }

    private void annotate(String value) throws IOException, InterruptedException {
        fixture.annotate(RecoveryAnnotation.ANNOTATION, value);
    }

    private Optional<RecoveryStatus> recovery() {
        return Optional.ofNullable(fixture.cluster().getStatus()).map(s -> s.getRecovery());
    }
}
