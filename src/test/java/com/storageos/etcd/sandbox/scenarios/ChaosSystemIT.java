package com.storageos.etcd.sandbox.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.status.PendingChange;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.reconciler.etcdcluster.ContinuousWriter;
import com.storageos.etcd.sandbox.Chaos;
import com.storageos.etcd.sandbox.Sandbox;
import com.storageos.etcd.sandbox.SandboxCluster;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link SandboxSystemIT} does not cover, on the real control plane: a learner's container killed
 * while it catches up (restarted in place), the spec edited while a membership step is in flight, the
 * operator restarted (SIGTERM, new process) at several journal phases, and a cluster deleted and
 * recreated on its retained volumes (the real garbage collector removes the StatefulSet and pods). A writer runs throughout each scenario; at the end
 * every acknowledged write must be readable.
 */
class ChaosSystemIT {
    static final String NAME = "storageos-etcd";
    /** Each restart is a new operator process (a few seconds on 2 cores): enough phases to cover add, start and promote. */
    static final int MAX_RESTARTS = 3;
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
                PendingChange p = pending();
                return p != null && "ScaleUp".equals(p.getOperation()) && "MemberAdded".equals(p.getPhase())
                        && Objects.equals(p.getOrdinal(), 3) && containerStarted(learner);
            });
            sandbox.node().killContainer(Sandbox.NAMESPACE, learner);
            await().atMost(Duration.ofSeconds(30)).until(() -> restartCount(learner) >= 1);
            fixture.awaitReady(4, Duration.ofSeconds(90));
            long toFour = SandboxCluster.millisSince(t0);

            finish(writer);
            System.out.printf("chaos IT learner kill: 3->4 with the learner killed %d ms, longest write outage %d ms, %d acknowledged writes%n",
                    toFour, writer.longestOutageMillis(), writer.acknowledged().size());
        }
    }

    @Test
    void editingTheSpecMidStepNeverRunsTwoMembershipChangesAtOnce() throws Exception {
        fixture.create(yaml(3, false));
        fixture.awaitReady(3, Duration.ofSeconds(90));
        try (ContinuousWriter writer = new ContinuousWriter(fixture.clientUrls()); StatusSampler sampler = new StatusSampler()) {
            long t0 = System.nanoTime();
            fixture.scale(5);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
                PendingChange p = pending();
                return p != null && "ScaleUp".equals(p.getOperation()) && "MemberAdded".equals(p.getPhase());
            });
            String midway = describe(pending());
            fixture.patchReplicas(3);
            fixture.awaitReady(3, Duration.ofSeconds(120));
            long toThree = SandboxCluster.millisSince(t0);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(sandbox.client().pods().inNamespace(Sandbox.NAMESPACE).list().getItems()).hasSize(3));
            sampler.close();

            assertThat(sampler.maxLearners()).as("learners at once; journal seen: %s", sampler.journal()).isLessThanOrEqualTo(1);
            assertThat(sampler.maxMembers()).as("members at once; journal seen: %s", sampler.journal()).isLessThanOrEqualTo(5);
            finish(writer);
            System.out.printf("chaos IT spec edit: 3->5 reverted to 3 at %s, Ready(3) after %d ms, journal %s, %d status samples, "
                            + "longest write outage %d ms, %d acknowledged writes%n",
                    midway, toThree, sampler.journal(), sampler.samples(), writer.longestOutageMillis(), writer.acknowledged().size());
        }
    }

    @Test
    void restartingTheOperatorAtEveryJournalPhaseStillConverges() throws Exception {
        fixture.create(yaml(3, false));
        fixture.awaitReady(3, Duration.ofSeconds(90));
        try (ContinuousWriter writer = new ContinuousWriter(fixture.clientUrls())) {
            long t0 = System.nanoTime();
            fixture.scale(5);
            List<String> phases = new ArrayList<>();
            String last = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
            while (!readyWith(5)) {
                assertThat(System.nanoTime()).as("5 voters within 240 s; phases restarted at %s", phases).isLessThan(deadline);
                PendingChange p = pending();
                String now = p == null ? null : describe(p);
                if (now != null && !now.equals(last) && phases.size() < MAX_RESTARTS) {
                    phases.add(now);
                    sandbox.restartOperator();
                }
                last = now;
                Thread.sleep(100);
            }
            long toFive = SandboxCluster.millisSince(t0);
            fixture.awaitReady(5, Duration.ofSeconds(30));
            assertThat(phases).as("the operator was restarted in several phases").hasSizeGreaterThanOrEqualTo(2);
            finish(writer);
            System.out.printf("chaos IT operator restarts: 3->5 in %d ms with %d restarts at %s, longest write outage %d ms, %d acknowledged writes%n",
                    toFive, phases.size(), phases, writer.longestOutageMillis(), writer.acknowledged().size());
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
            finish(writer);
            assertThat(beforeDelete).hasSizeGreaterThan(20);
            System.out.printf("chaos IT delete and recreate: back to Ready(3) %d ms after the delete, %d writes before the delete, "
                            + "longest write outage %d ms, %d acknowledged writes%n",
                    back, beforeDelete.size(), writer.longestOutageMillis(), writer.acknowledged().size());
        }
    }

    /** Samples the status every 200 ms: how many learners and members at once, and the journal's steps in order. */
    private final class StatusSampler implements AutoCloseable {
        private final List<String> journal = new CopyOnWriteArrayList<>();
        private final AtomicInteger maxLearners = new AtomicInteger();
        private final AtomicInteger maxMembers = new AtomicInteger();
        private final AtomicInteger samples = new AtomicInteger();
        private final Thread thread = new Thread(this::loop, "status-sampler");
        private volatile boolean running = true;

        StatusSampler() {
            thread.setDaemon(true);
            thread.start();
        }

        private void loop() {
            while (running) {
                try {
                    sandbox.cluster(NAME).map(EtcdCluster::getStatus).ifPresent(s -> {
                        samples.incrementAndGet();
                        var members = Optional.ofNullable(s.getMembers()).orElse(List.of());
                        maxLearners.accumulateAndGet((int) members.stream().filter(m -> "Learner".equals(m.getRole())).count(), Math::max);
                        maxMembers.accumulateAndGet(members.size(), Math::max);
                        String step = s.getPendingChange() == null ? "-" : describe(s.getPendingChange());
                        if (journal.isEmpty() || !journal.get(journal.size() - 1).equals(step)) {
                            journal.add(step);
                        }
                    });
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    // an API hiccup: sample again
                }
            }
        }

        int maxLearners() { return maxLearners.get(); }
        int maxMembers() { return maxMembers.get(); }
        int samples() { return samples.get(); }
        List<String> journal() { return List.copyOf(journal); }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.interrupt();
            thread.join(3000);
        }
    }

    private static String describe(PendingChange p) {
        return p.getOperation() + "/" + p.getPhase() + "/" + p.getOrdinal();
    }

    private PendingChange pending() {
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

    private boolean readyWith(int members) {
        EtcdCluster c = sandbox.cluster(NAME).orElse(null);
        return c != null && Chaos.ready(c) && c.getStatus().getMembers() != null && c.getStatus().getMembers().size() == members
                && c.getStatus().getMembers().stream().allMatch(m -> "Voter".equals(m.getRole()) && Boolean.TRUE.equals(m.getHealthy()));
    }




    private void finish(ContinuousWriter writer) throws Exception {
        Thread.sleep(500);
        writer.close();
        fixture.assertEveryAcknowledgedWriteReadable(writer.acknowledged(), 30);
    }

    private static String yaml(int replicas, boolean retain) {
        return SandboxCluster.yaml(NAME, replicas, retain ? "  storage:\n    reclaimPolicy: Retain\n" : "");
    }

}
