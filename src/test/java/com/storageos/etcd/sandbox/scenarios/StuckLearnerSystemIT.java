package com.storageos.etcd.sandbox.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.storageos.etcd.api.v1alpha1.status.MemberStatus;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.reconciler.etcdcluster.ContinuousWriter;
import com.storageos.etcd.sandbox.Sandbox;
import com.storageos.etcd.sandbox.SandboxCluster;
import com.storageos.etcd.sandbox.node.SandboxNode;
import com.storageos.etcd.status.Conditions;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replacement learner whose pod never schedules, on the real control plane with a writer running throughout, at 5
 * members: with 3, the stuck learner's member and a second lost member would be two voters of three down, and nothing
 * could be repaired without quorum. A follower loses its node (pod and claim) while another follower hangs; its new pod
 * reports the lost data, the operator removes the member, and the learner's add waits for the hung voter (etcd adds a
 * learner only while every voter is connected). Meanwhile the new pod's node goes too, and the pod cannot be placed again
 * (the sandbox scheduler holds it). The hung voter comes back and the learner is added, but its pod never schedules: the
 * user sees Progressing=LearnerStarting with the deadline, then a StuckLearnerRemoved event once the learner deadline (set
 * short through the chart's {@code extraEnv}, 5 min by default) has passed, and the replacement adds it again. Then a
 * second follower loses its node: its repair pre-empts the stuck learner at once rather than waiting out the learner's
 * deadline, and it is a healthy voter again while the learner's pod is still Pending. Once that pod can schedule, the
 * cluster ends Ready at 5 members with every acknowledged write kept.
 */
class StuckLearnerSystemIT {
    static final String NAME = "stuck";
    /** Long enough for a lost member's new pod to report its lost data before the re-added learner's deadline. */
    static final Duration DEADLINE = Duration.ofSeconds(45);
    @TempDir
    Path root;

    @Test
    void aReplacementLearnerWhosePodNeverSchedulesIsRemovedAtItsDeadlineAndASecondLossIsRepairedMeanwhile() throws Exception {
        Map<String, Object> deadline = Map.of("extraEnv[0].name", "ETCD_OPERATOR_LEARNER_DEADLINE",
                "extraEnv[0].value", DEADLINE.toSeconds() + "s");
        try (SandboxCluster c = SandboxCluster.startWithChartValues(root, NAME, deadline)) {
            c.create(SandboxCluster.yaml(NAME, 5, ""));
            c.awaitReady(5, Duration.ofSeconds(180));
            ClusterNames names = c.names();
            String leader = c.cluster().getStatus().getLeader();
            List<String> followers = IntStream.range(1, 5).mapToObj(names::member).filter(m -> !m.equals(leader)).toList();
            String stuck = followers.get(0);
            String second = followers.get(1);
            String hung = followers.get(2);
            int stuckOrdinal = names.ordinalOf(stuck).orElseThrow();
            SandboxNode node = c.sandbox().node();
            try (ContinuousWriter writer = new ContinuousWriter(c.clientUrls())) {
                // The learner's add must wait until the pod that reported the loss is gone: that pod's init container, retried
                // in place, would otherwise start the learner there. etcd adds a learner only while every voter is connected.
                node.freezeContainer(Sandbox.NAMESPACE, hung);
                node.losePodAndClaim(Sandbox.NAMESPACE, stuck);
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> c.cluster().getStatus().getPendingChange(),
                        p -> p != null && "ReplaceMember".equals(p.getOperation()) && "AddRequested".equals(p.getPhase())
                                && p.getOrdinal() == stuckOrdinal);
                node.scheduler().hold(Sandbox.NAMESPACE, stuck);
                String reportedLoss = c.sandbox().client().pods().inNamespace(Sandbox.NAMESPACE).withName(stuck).get().getMetadata().getUid();
                node.deletePod(Sandbox.NAMESPACE, stuck);
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                        .untilAsserted(() -> assertUnscheduled(c, stuck, reportedLoss));
                node.thawContainer(Sandbox.NAMESPACE, hung);
                // What the user sees meanwhile: the learner waited for, and until when.
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(
                        () -> Conditions.find(c.cluster().getStatus().getConditions(), Conditions.PROGRESSING).map(p -> p.getMessage()).orElse(""),
                        m -> m.startsWith("waiting for learner") && m.contains("to start, by") && m.contains("(the learner deadline)"));
                Set<String> beforeRemoval = eventUids(c);
                Event atDeadline = awaitEvent(c, "StuckLearnerRemoved", stuck, beforeRemoval, DEADLINE.plusSeconds(60));
                assertThat(atDeadline.getMessage()).contains("has not started within the learner deadline of " + DEADLINE.toSeconds() + " s");
                // The add the removal undid: written before the removal was awaited. Timestamps are whole seconds, and the
                // add that follows the removal can fall in the same second.
                Event added = events(c).stream().filter(e -> about(e, "LearnerAdded", stuck))
                        .filter(e -> beforeRemoval.contains(e.getMetadata().getUid())).max(Comparator.comparing(StuckLearnerSystemIT::time))
                        .orElseThrow();
                Duration waited = Duration.between(time(added), time(atDeadline));
                assertThat(waited).as("removed only after its deadline").isGreaterThanOrEqualTo(DEADLINE.minusSeconds(2));
                assertUnscheduled(c, stuck, reportedLoss);

                awaitEvent(c, "LearnerAdded", stuck, beforeRemoval, Duration.ofSeconds(30));
                Set<String> seen = eventUids(c);
                Map<String, String> idsBefore = memberIds(c);
                long lost = System.nanoTime();
                node.losePodAndClaim(Sandbox.NAMESPACE, second);
                Event preempted = awaitEvent(c, "StuckLearnerRemoved", stuck, seen, DEADLINE.plusSeconds(60));
                long preemptedAfter = SandboxCluster.millisSince(lost);
                assertThat(preempted.getMessage()).as("removed for the lost voter's repair, not at its deadline")
                        .contains("a lost voter's repair goes first");
                await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                    assertThat(memberIds(c).get(second)).as("%s under a new member ID", second).isNotNull().isNotEqualTo(idsBefore.get(second));
                    assertThat(c.cluster().getStatus().getMembers()).filteredOn(m -> second.equals(m.getName()))
                            .singleElement().satisfies(m -> assertThat(m.getHealthy()).isTrue())
                            .satisfies(m -> assertThat(m.getRole()).isEqualTo("Voter"));
                });
                long repaired = SandboxCluster.millisSince(lost);
                assertUnscheduled(c, stuck, reportedLoss);

                node.scheduler().release(Sandbox.NAMESPACE, stuck);
                long released = System.nanoTime();
                c.awaitReady(5, Duration.ofSeconds(180));
                long readyAfterRelease = SandboxCluster.millisSince(released);
                Thread.sleep(500);
                writer.close();
                c.assertEveryAcknowledgedWriteReadable(writer.acknowledged(), 100);
                System.out.printf("stuck learner system IT: learner deadline %d s; the stuck learner removed %d s after it was added;"
                                + " the second loss pre-empted it after %d ms and was a healthy voter again after %d ms, the learner's"
                                + " pod still Pending; Ready at 5 %d ms after that pod could schedule; longest write outage %d ms,"
                                + " %d acknowledged writes%n", DEADLINE.toSeconds(), waited.toSeconds(), preemptedAfter, repaired,
                        readyAfterRelease, writer.longestOutageMillis(), writer.acknowledged().size());
            }
        }
    }

    /** A new pod, Pending on no node, as the user sees it in {@code kubectl describe pod}: PodScheduled=False, Unschedulable. */
    private static void assertUnscheduled(SandboxCluster c, String podName, String oldUid) {
        Pod pod = c.sandbox().client().pods().inNamespace(Sandbox.NAMESPACE).withName(podName).get();
        assertThat(pod).as("%s exists", podName).isNotNull();
        assertThat(pod.getMetadata().getUid()).as("a new %s", podName).isNotEqualTo(oldUid);
        assertThat(pod.getSpec().getNodeName()).as("%s is bound to no node", podName).isNull();
        assertThat(pod.getStatus().getConditions()).anySatisfy(cond -> {
            assertThat(cond.getType()).isEqualTo("PodScheduled");
            assertThat(cond.getReason()).isEqualTo("Unschedulable");
        });
    }

    /** The first event of that reason about that member among those not {@code seen} before, once it is there. */
    private static Event awaitEvent(SandboxCluster c, String reason, String member, Set<String> seen, Duration within) {
        return await().atMost(within).pollInterval(Duration.ofMillis(250)).until(() -> events(c).stream()
                .filter(e -> about(e, reason, member) && !seen.contains(e.getMetadata().getUid()))
                .min(Comparator.comparing(StuckLearnerSystemIT::time)), Optional::isPresent).orElseThrow();
    }

    private static boolean about(Event e, String reason, String member) {
        return reason.equals(e.getReason()) && e.getMessage().startsWith(member + " ");
    }

    private static List<Event> events(SandboxCluster c) {
        return c.sandbox().client().v1().events().inNamespace(Sandbox.NAMESPACE).list().getItems().stream()
                .filter(e -> NAME.equals(e.getInvolvedObject().getName())).toList();
    }

    private static Set<String> eventUids(SandboxCluster c) {
        return events(c).stream().map(e -> e.getMetadata().getUid()).collect(Collectors.toSet());
    }

    private static Instant time(Event e) {
        return Instant.parse(e.getFirstTimestamp());
    }

    private static Map<String, String> memberIds(SandboxCluster c) {
        return c.cluster().getStatus().getMembers().stream().filter(m -> m.getName() != null && m.getId() != null)
                .collect(Collectors.toMap(MemberStatus::getName, MemberStatus::getId));
    }
}
