package com.storageos.etcd.sandbox.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.status.PendingChange;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.reconciler.etcdcluster.ContinuousWriter;
import com.storageos.etcd.sandbox.Sandbox;
import com.storageos.etcd.sandbox.SandboxCluster;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link SandboxSystemIT} does not cover, on the real control plane: a learner's container killed
 * while it catches up (restarted in place), and a cluster deleted and recreated on its retained volumes (the real garbage
 * collector removes the StatefulSet and pods); the journal's chaos is {@link JournalChaosSystemIT}'s. A writer runs
 * throughout each scenario; at the end every acknowledged write must be readable.
 */
class ChaosSystemIT {
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
    void aLearnerKilledWhileItCatchesUpStillBecomesAVoter() throws Exception {
        fixture.create(yaml(3, false));
        fixture.awaitReady(3, Duration.ofSeconds(90));
        try (ContinuousWriter writer = new ContinuousWriter(fixture.clientUrls())) {
            long t0 = System.nanoTime();
            fixture.patchReplicas(4);
            String learner = names.member(3);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
                PendingChange p = pending(sandbox);
                return p != null && "ScaleUp".equals(p.getOperation()) && "MemberAdded".equals(p.getPhase())
                        && Objects.equals(p.getOrdinal(), 3) && containerStarted(learner);
            });
            sandbox.node().killContainer(Sandbox.NAMESPACE, learner);
            await().atMost(Duration.ofSeconds(30)).until(() -> restartCount(learner) >= 1);
            fixture.awaitReady(4, Duration.ofSeconds(90));
            long toFour = SandboxCluster.millisSince(t0);

            finish(fixture, writer);
            System.out.printf("chaos IT learner kill: 3->4 with the learner killed %d ms, longest write outage %d ms, %d acknowledged writes%n",
                    toFour, writer.longestOutageMillis(), writer.acknowledged().size());
        }
    }

    @Test
    void aDeletedAndRecreatedClusterComesBackOnItsRetainedVolumes() throws Exception {
        fixture.create(yaml(3, true));
        fixture.awaitReady(3, Duration.ofSeconds(90));
        try (ContinuousWriter writer = new ContinuousWriter(fixture.clientUrls())) {
            Thread.sleep(3000);
            List<String> beforeDelete = writer.acknowledged();
            List<String> memberIds = memberIds();
            long t0 = System.nanoTime();
            sandbox.client().resources(EtcdCluster.class).inNamespace(Sandbox.NAMESPACE).withName(NAME).delete();
            await().atMost(Duration.ofSeconds(30)).until(() -> sandbox.cluster(NAME).isEmpty());
            // The real garbage collector deletes the StatefulSet and then its pods; the claims come from
            // its volumeClaimTemplates and are owned by nobody, so they stay.
            await().atMost(Duration.ofSeconds(60)).until(() -> sandbox.client().pods().inNamespace(Sandbox.NAMESPACE).list().getItems().isEmpty());
            assertThat(sandbox.client().persistentVolumeClaims().inNamespace(Sandbox.NAMESPACE).list().getItems()).hasSize(3);

            fixture.create(yaml(3, true));
            fixture.awaitReady(3, Duration.ofSeconds(120));
            long back = SandboxCluster.millisSince(t0);
            assertThat(memberIds()).as("the same members, restarted on their retained data").isEqualTo(memberIds);
            finish(fixture, writer);
            assertThat(beforeDelete).hasSizeGreaterThan(20);
            System.out.printf("chaos IT delete and recreate: back to Ready(3) %d ms after the delete, %d writes before the delete, "
                            + "longest write outage %d ms, %d acknowledged writes%n",
                    back, beforeDelete.size(), writer.longestOutageMillis(), writer.acknowledged().size());
        }
    }

    static PendingChange pending(Sandbox sandbox) {
        return sandbox.cluster(NAME).map(EtcdCluster::getStatus).map(s -> s.getPendingChange()).orElse(null);
    }

    private boolean containerStarted(String pod) {
        Pod p = sandbox.client().pods().inNamespace(Sandbox.NAMESPACE).withName(pod).get();
        return p != null && p.getStatus() != null && p.getStatus().getContainerStatuses() != null
                && !p.getStatus().getContainerStatuses().isEmpty() && p.getStatus().getContainerStatuses().get(0).getState() != null
                && p.getStatus().getContainerStatuses().get(0).getState().getRunning() != null;
    }

    private int restartCount(String pod) {
        Pod p = sandbox.client().pods().inNamespace(Sandbox.NAMESPACE).withName(pod).get();
        if (p == null || p.getStatus() == null || p.getStatus().getContainerStatuses() == null || p.getStatus().getContainerStatuses().isEmpty()) {
            return 0;
        }
        return Optional.ofNullable(p.getStatus().getContainerStatuses().get(0).getRestartCount()).orElse(0);
    }

    private List<String> memberIds() {
        return sandbox.cluster(NAME).orElseThrow().getStatus().getMembers().stream().map(m -> m.getName() + "=" + m.getId()).sorted().toList();
    }

    static void finish(SandboxCluster fixture, ContinuousWriter writer) throws Exception {
        Thread.sleep(500);
        writer.close();
        fixture.assertEveryAcknowledgedWriteReadable(writer.acknowledged(), 30);
    }

    static String yaml(int replicas, boolean retain) {
        return SandboxCluster.yaml(NAME, replicas, retain ? "  storage:\n    reclaimPolicy: Retain\n" : "");
    }
}
