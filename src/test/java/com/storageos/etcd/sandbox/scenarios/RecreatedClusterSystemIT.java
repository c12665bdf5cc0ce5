package com.storageos.etcd.sandbox.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.status.MemberStatus;
import com.storageos.etcd.reconciler.etcdcluster.ContinuousWriter;
import com.storageos.etcd.sandbox.Sandbox;
import com.storageos.etcd.sandbox.SandboxCluster;
import com.storageos.etcd.status.Conditions;
import com.storageos.etcd.testing.EtcdBinaries;
import io.etcd.jetcd.Client;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Event;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A formed cluster is never formed again, on the real control plane with the writer running:
 * <ul>
 *   <li>the EtcdCluster is deleted (StatefulSet and pods go, the claims stay), member 0's claim is deleted
 *   too, and the EtcdCluster is created again from its manifest: it comes back on the retained volumes
 *   with the same cluster ID, and member 0 is replaced, not made the seed of a new, empty cluster;</li>
 *   <li>the EtcdCluster is restored without its status (deleted with its members orphaned, created again
 *   from its manifest): the status gets etcd's cluster ID back, the members are the same, and no member pod
 *   stops meanwhile;</li>
 *   <li>a step etcd refuses (a second learner, while a learner nobody manages exists) reaches the status
 *   as Degraded=StepFailed and one Warning Event, retried with back-off.</li>
 * </ul>
 */
class RecreatedClusterSystemIT {
    static final String NAME = "recreated";
    static final String MANIFEST = SandboxCluster.yaml(NAME, 3, "");

    @TempDir
    Path root;

    @Test
    void aRecreatedOrStatuslessClusterComesBackAsTheSameClusterAndAFailedStepIsReported() throws Exception {
        try (SandboxCluster c = SandboxCluster.start(root, NAME)) {
            c.create(MANIFEST);
            c.awaitReady(3, Duration.ofSeconds(90));
            String clusterId = c.cluster().getStatus().getClusterId();
            assertThat(clusterId).isNotNull();
            try (ContinuousWriter writer = new ContinuousWriter(c.clientUrls().subList(0, 3))) {
                await().atMost(Duration.ofSeconds(30)).until(() -> writer.acknowledged().size() > 20);
                Map<String, String> before = memberIds(c);

                long t1 = System.nanoTime();
                delete(c, DeletionPropagation.BACKGROUND);
                await().atMost(Duration.ofSeconds(60)).until(() -> memberPods(c).isEmpty());
                c.sandbox().client().persistentVolumeClaims().inNamespace(Sandbox.NAMESPACE).withName(c.names().dataClaim(0)).delete();
                await().atMost(Duration.ofSeconds(30)).until(() ->
                        c.sandbox().client().persistentVolumeClaims().inNamespace(Sandbox.NAMESPACE).withName(c.names().dataClaim(0)).get() == null);
                c.create(MANIFEST);
                c.awaitReady(3, Duration.ofSeconds(120));
                long recreated = SandboxCluster.millisSince(t1);
                assertThat(c.cluster().getStatus().getClusterId()).as("the same etcd cluster").isEqualTo(clusterId);
                assertThat(clusterIdFromEtcd(c)).isEqualTo(clusterId);
                Map<String, String> after = memberIds(c);
                assertThat(after).as("members 1 and 2 came back on their data; member 0 was replaced")
                        .containsEntry(c.names().member(1), before.get(c.names().member(1)))
                        .containsEntry(c.names().member(2), before.get(c.names().member(2)))
                        .doesNotContainEntry(c.names().member(0), before.get(c.names().member(0)));

                long t2;
                try (MemberPodWatch pods = new MemberPodWatch(c.sandbox().client(), c.names(), 3)) {
                    await().atMost(Duration.ofSeconds(30)).until(pods::allServing);
                    pods.reset();
                    t2 = System.nanoTime();
                    delete(c, DeletionPropagation.ORPHAN);
                    c.create(MANIFEST);
                    await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                            assertThat(c.cluster().getStatus()).isNotNull().satisfies(s -> assertThat(s.getClusterId())
                                    .as("a status restored without its cluster ID gets etcd's back").isEqualTo(clusterId)));
                    c.awaitReady(3, Duration.ofSeconds(60));
                    // A status without members must not scale the StatefulSet to them: every member would stop at once.
                    assertThat(pods.deletions()).as("member pods deleted while the EtcdCluster came back without its status").isEmpty();
                    assertThat(pods.maxNotReady()).as("member pods not Ready at once; worst: %s", pods.worstMoment()).isZero();
                }
                long restored = SandboxCluster.millisSince(t2);
                assertThat(memberIds(c)).as("the same members").isEqualTo(after);

                long t3 = System.nanoTime();
                addUnmanagedLearner(c);
                c.patchReplicas(4);
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    var degraded = Conditions.find(c.cluster().getStatus().getConditions(), Conditions.DEGRADED).orElseThrow();
                    assertThat(degraded.getReason()).isEqualTo("StepFailed");
                    assertThat(degraded.getMessage()).contains("AddLearner of " + c.names().member(3)).contains("too many learner members");
                    assertThat(stepFailedEvents(c)).isNotEmpty();
                });
                long reported = SandboxCluster.millisSince(t3);
                Thread.sleep(8000); // several retries: the back-off doubles from 1 s
                List<Event> events = stepFailedEvents(c);
                int count = events.stream().mapToInt(e -> e.getCount() == null ? 1 : e.getCount()).sum();
                assertThat(count).as("Warning StepFailed events for one failure retried").isEqualTo(1);
                assertThat(events.get(0).getType()).isEqualTo("Warning");
                // Every attempt writes the journal first, and each journal write counts up its sequence.
                long attempts = c.cluster().getStatus().getPendingChange().getSequence();
                assertThat(attempts).as("attempts of the refused step in %d s: retried, with back-off", 8 + reported / 1000).isBetween(2L, 12L);

                writer.close();
                c.assertEveryAcknowledgedWriteReadable(writer.acknowledged(), 100);
                System.out.printf("recreated with claim 0 deleted: Ready as the same cluster in %d ms; restored without status: Ready"
                                + " with the cluster ID back in %d ms; refused step on the status in %d ms, %d attempts; longest write"
                                + " outage %d ms, %d acknowledged writes%n",
                        recreated, restored, reported, attempts, writer.longestOutageMillis(), writer.acknowledged().size());
            }
        }
    }

    private static void delete(SandboxCluster c, DeletionPropagation propagation) {
        var resource = c.sandbox().client().resources(EtcdCluster.class).inNamespace(Sandbox.NAMESPACE).withName(NAME);
        resource.withPropagationPolicy(propagation).delete();
        await().atMost(Duration.ofSeconds(30)).until(() -> resource.get() == null);
    }

    private static List<String> memberPods(SandboxCluster c) {
        return c.sandbox().client().pods().inNamespace(Sandbox.NAMESPACE).list().getItems().stream()
                .map(p -> p.getMetadata().getName()).filter(n -> n.startsWith(NAME + "-")).toList();
    }

    private static Map<String, String> memberIds(SandboxCluster c) {
        return c.cluster().getStatus().getMembers().stream().collect(Collectors.toMap(MemberStatus::getName, MemberStatus::getId));
    }

    private static String clusterIdFromEtcd(SandboxCluster c) throws Exception {
        try (Client etcd = client(c)) {
            return Long.toHexString(etcd.getClusterClient().listMember().get(5, TimeUnit.SECONDS).getHeader().getClusterId());
        }
    }

    /**
     * A person adds a learner by hand with a peer URL that is none of the operator's (etcd allows one learner at a
     * time), with etcdctl, retried while etcd's strict reconfiguration check refuses it right after members restarted.
     */
    private static void addUnmanagedLearner(SandboxCluster c) {
        String endpoints = String.join(",", c.clientUrls().subList(0, 3));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            Process p = new ProcessBuilder(EtcdBinaries.tested().etcdctl(), "--endpoints=" + endpoints, "--command-timeout=3s", "member", "add", "unmanaged",
                    "--learner", "--peer-urls=http://127.0.0.1:9").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            boolean added = p.waitFor() == 0;
            System.out.println("etcdctl member add --learner: " + out.trim());
            return added;
        });
    }

    private static Client client(SandboxCluster c) {
        return Client.builder().endpoints(c.clientUrls().subList(0, 3).stream().map(URI::create).toArray(URI[]::new)).build();
    }

    private static List<Event> stepFailedEvents(SandboxCluster c) {
        return c.sandbox().client().v1().events().inNamespace(Sandbox.NAMESPACE).list().getItems().stream()
                .filter(e -> "StepFailed".equals(e.getReason()) && NAME.equals(e.getInvolvedObject().getName())).toList();
    }
}
