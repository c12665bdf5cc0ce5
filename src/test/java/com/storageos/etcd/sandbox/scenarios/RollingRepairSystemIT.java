package com.storageos.etcd.sandbox.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.status.MemberStatus;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.sandbox.Sandbox;
import com.storageos.etcd.sandbox.SandboxCluster;
import com.storageos.etcd.testing.EtcdBinaries;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rolling changes that go wrong, on the real control plane, on one 3-member cluster of etcd 3.5.30 with a writer running:
 * rollouts that break a pod (a flag etcd rejects at start, requests no node can hold) stop at that pod and are repaired by
 * fixing the spec alone; grown to 4, a scale-down to 3 goes ahead while a member that stays is frozen (SIGSTOP), as quorum
 * allows; last, a node drain during a rollout. Rollouts that go through: {@link RollingUpgradeSystemIT}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RollingRepairSystemIT {
    @TempDir
    static Path root;
    RollingCluster rolling;
    SandboxCluster fixture;
    Sandbox sandbox;
    ClusterNames names;

    @BeforeAll
    void start() throws Exception {
        rolling = RollingCluster.start(root, EtcdBinaries.DEFAULT_VERSION);
        fixture = rolling.fixture;
        sandbox = rolling.sandbox;
        names = rolling.names;
    }

    @AfterAll
    void stop() throws Exception {
        if (rolling != null) {
            rolling.close();
        }
    }

    @Test
    @Order(1)
    void aRolloutThatBreaksAPodStopsThereAndIsRepairedByFixingTheSpec() throws Exception {
        // etcd exits at start ("unknown level"), so the pod crash-loops on its new template.
        breakAndRepair("a flag etcd rejects", "{\"spec\":{\"etcd\":{\"extraArgs\":{\"log-level\":\"bogus\"}}}}",
                "{\"spec\":{\"etcd\":{\"extraArgs\":{\"log-level\":\"warn\"}}}}", broken -> rolling.etcdRestarts(broken) >= 1);
    }

    @Test
    @Order(2)
    void aRolloutWhosePodCannotBeScheduledIsRepairedByFixingTheSpec() throws Exception {
        // More CPU than the node has: the new pod stays Pending, its member down, no container ever runs.
        breakAndRepair("requests no node can hold", "{\"spec\":{\"resources\":{\"requests\":{\"cpu\":\"64\"}}}}",
                "{\"spec\":{\"resources\":{\"requests\":{\"cpu\":\"100m\"}}}}", broken -> {
                    Pod p = rolling.pod(broken);
                    return p != null && p.getSpec().getNodeName() == null && !rolling.healthy(broken);
                });
    }

    /**
     * A rollout whose new template breaks the first pod it restarts: the rollout stops there (no second pod
     * is touched, Progressing stays True), and fixing the spec alone brings every pod onto the fixed template.
     */
    private void breakAndRepair(String what, String badPatch, String fixPatch, Predicate<String> isBroken) throws Exception {
        Map<String, String> before = rolling.podUids();
        rolling.pods.reset();
        rolling.service.reset();
        long t0 = System.nanoTime();
        rolling.patch(badPatch);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> rolling.pods.deletions().size() >= 1);
        String broken = rolling.pods.deletions().get(0);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> isBroken.test(broken));
        try (RolloutProgressSampler progress = new RolloutProgressSampler(sandbox, RollingCluster.NAME, rolling.pods)) {
            Thread.sleep(8_000); // time enough for the next restart, if the rollout went on
            assertThat(Set.copyOf(rolling.pods.deletions())).as("%s: only the broken pod is ever restarted", what).containsExactly(broken);
            assertThat(progress.samples()).as("%s: a stuck rollout is in flight, never Converged", what)
                    .isNotEmpty().allSatisfy(c -> assertThat(c.getStatus()).as(c.getReason() + ": " + c.getMessage()).isEqualTo("True"));
        }

        long t1 = System.nanoTime();
        rolling.patch(fixPatch);
        rolling.awaitRolledOut(before, Duration.ofSeconds(120));
        long repaired = SandboxCluster.millisSince(t1);
        assertThat(rolling.pods.maxNotReady()).as("%s: member pods not Ready at once; worst: %s", what, rolling.pods.worstMoment()).isLessThanOrEqualTo(1);
        assertThat(rolling.service.maxFailedInARow()).as("%s: failed /health probes in a row through the client Service", what).isLessThan(2);
        rolling.assertNoAcknowledgedWriteLost();
        System.out.printf("rolling change IT broken rollout (%s): %s broke and held the rollout; fixed spec to Ready in %d ms "
                        + "(%d ms from the bad spec), restarts %s, longest client-Service outage %d ms%n",
                what, broken, repaired, SandboxCluster.millisSince(t0), rolling.pods.deletions(), rolling.service.longestOutageMillis());
    }

    @Test
    @Order(3)
    void aScaleDownGoesAheadWhileAnUnrelatedMemberIsDown() throws Exception {
        // 4->3 is the shortest such case: 4 voters with one down, removing a healthy one leaves 2 healthy of 3, quorum 2.
        fixture.scale(4);
        fixture.awaitReady(4, Duration.ofSeconds(120));
        String frozen = names.member(names.member(1).equals(fixture.cluster().getStatus().getLeader()) ? 2 : 1);
        sandbox.node().freezeContainer(Sandbox.NAMESPACE, frozen); // stays in the 3-member cluster, answers nothing
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> !rolling.healthy(frozen));
        long t0 = System.nanoTime();
        fixture.scale(3);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
            EtcdCluster c = fixture.cluster();
            return c.getStatus().getPendingChange() == null && c.getStatus().getMembers().size() == 3
                    && c.getStatus().getMembers().stream().allMatch(m -> "Voter".equals(m.getRole()));
        });
        long took = SandboxCluster.millisSince(t0);
        assertThat(fixture.cluster().getStatus().getMembers()).extracting(MemberStatus::getName)
                .containsExactlyInAnyOrder(names.member(0), names.member(1), names.member(2));
        assertThat(rolling.healthy(frozen)).as("%s was still down when the scale-down finished", frozen).isFalse();
        assertThat(rolling.etcdRestarts(frozen)).as("%s was not restarted (its liveness probe had not run out)", frozen).isZero();

        sandbox.node().thawContainer(Sandbox.NAMESPACE, frozen);
        fixture.awaitReady(3, Duration.ofSeconds(60));
        await().atMost(Duration.ofSeconds(30)).until(() -> rolling.memberPods().size() == 3);
        rolling.assertNoAcknowledgedWriteLost();
        System.out.printf("rolling change IT scale-down beside a down member: 4->3 with %s frozen took %d ms%n", frozen, took);
    }

    /**
     * A node-pool drain (every member pod evicted once, as kubectl drain does) while a rolling restart runs: the operator's
     * restarts go through the same PodDisruptionBudget, so the two never take two members at once, and nothing is lost.
     */
    @Test
    @Order(4)
    void aNodeDrainDuringARollingRestartNeverTakesTwoMembersAtOnce() throws Exception {
        Map<String, String> before = rolling.podUids();
        rolling.pods.reset();
        rolling.service.reset();
        rolling.writer.resetLongestOutage();
        long t0 = System.nanoTime();
        try (NodeDrain drain = NodeDrain.start(sandbox.client(), names)) {
            rolling.patch("{\"spec\":{\"etcd\":{\"snapshotCount\":30000}}}");
            rolling.awaitRolledOut(before, Duration.ofSeconds(180));
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(drain::done);
            fixture.awaitReady(3, Duration.ofSeconds(60));
            assertThat(rolling.pods.maxNotReady()).as("member pods not Ready at once; worst: %s", rolling.pods.worstMoment()).isLessThanOrEqualTo(1);
            assertThat(rolling.service.maxFailedInARow()).as("failed /health probes in a row through the client Service").isLessThan(2);
            rolling.assertNoAcknowledgedWriteLost();
            System.out.printf("rolling change IT drain during a rollout: %d ms, %d evictions by the drain (%d refused by the budget),"
                            + " pods deleted %s, at most %d pod(s) not Ready at once, longest write gap %d ms%n", SandboxCluster.millisSince(t0),
                    drain.evicted(), drain.refused(), rolling.pods.deletions(), rolling.pods.maxNotReady(), rolling.writer.longestOutageMillis());
        }
    }
}
