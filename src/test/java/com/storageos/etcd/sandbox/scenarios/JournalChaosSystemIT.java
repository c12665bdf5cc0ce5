package com.storageos.etcd.sandbox.scenarios;

import static com.storageos.etcd.sandbox.scenarios.ChaosSystemIT.NAME;
import static com.storageos.etcd.sandbox.scenarios.ChaosSystemIT.finish;
import static com.storageos.etcd.sandbox.scenarios.ChaosSystemIT.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.status.PendingChange;
import com.storageos.etcd.reconciler.etcdcluster.ContinuousWriter;
import com.storageos.etcd.sandbox.Chaos;
import com.storageos.etcd.sandbox.Sandbox;
import com.storageos.etcd.sandbox.SandboxCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal under chaos, on the real control plane: the spec edited while a membership step is in flight, and the
 * operator restarted (SIGTERM, new process) at several journal phases. A writer runs throughout each scenario; at the end
 * every acknowledged write must be readable. A learner killed and a cluster recreated: {@link ChaosSystemIT}.
 */
class JournalChaosSystemIT {
    /** Each restart is a new operator process (a few seconds on 2 cores): enough phases to cover add, start and promote. */
    static final int MAX_RESTARTS = 3;
    @TempDir
    Path root;
    SandboxCluster fixture;
    Sandbox sandbox;

    @BeforeEach
    void start() throws Exception {
        fixture = SandboxCluster.start(root, NAME);
        sandbox = fixture.sandbox();
    }

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void editingTheSpecMidStepNeverRunsTwoMembershipChangesAtOnce() throws Exception {
        fixture.create(yaml(3, false));
        fixture.awaitReady(3, Duration.ofSeconds(90));
        try (ContinuousWriter writer = new ContinuousWriter(fixture.clientUrls()); StatusSampler sampler = new StatusSampler(sandbox, NAME)) {
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
            finish(fixture, writer);
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
            finish(fixture, writer);
            System.out.printf("chaos IT operator restarts: 3->5 in %d ms with %d restarts at %s, longest write outage %d ms, %d acknowledged writes%n",
                    toFive, phases.size(), phases, writer.longestOutageMillis(), writer.acknowledged().size());
        }
    }

    private PendingChange pending() {
        return ChaosSystemIT.pending(sandbox);
    }

    private String describe(PendingChange p) {
        return StatusSampler.describe(p);
    }

    private boolean readyWith(int members) {
        EtcdCluster c = sandbox.cluster(NAME).orElse(null);
        return c != null && Chaos.ready(c) && c.getStatus().getMembers() != null && c.getStatus().getMembers().size() == members
                && c.getStatus().getMembers().stream().allMatch(m -> "Voter".equals(m.getRole()) && Boolean.TRUE.equals(m.getHealthy()));
    }
}
