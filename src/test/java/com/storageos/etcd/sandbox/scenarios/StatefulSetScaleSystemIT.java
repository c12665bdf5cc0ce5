package com.storageos.etcd.sandbox.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.storageos.etcd.api.v1alpha1.status.MemberStatus;
import com.storageos.etcd.reconciler.etcdcluster.ContinuousWriter;
import com.storageos.etcd.sandbox.Sandbox;
import com.storageos.etcd.sandbox.SandboxCluster;
import com.storageos.etcd.testing.kube.AuditLog;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hand-made {@code kubectl scale sts} on the real control plane: to 1 (quorum lost with one pod left)
 * and to 0 (every member down, etcd unreachable). The operator restores the replica count from the
 * recorded membership, the members come back on their volumes with the same IDs, the budget never
 * loosens while etcd cannot be read, and no acknowledged write is lost.
 */
class StatefulSetScaleSystemIT {
    static final String NAME = "handscaled";

    @TempDir
    Path root;

    @Test
    void aStatefulSetScaledByHandComesBackFromTheRecordedMembership() throws Exception {
        try (SandboxCluster c = SandboxCluster.start(root, NAME)) {
            c.create(SandboxCluster.yaml(NAME, 3, ""));
            c.awaitReady(3, Duration.ofSeconds(90));
            Map<String, String> ids = memberIds(c);
            try (ContinuousWriter writer = new ContinuousWriter(c.clientUrls().subList(0, 3));
                    MemberPodWatch pods = new MemberPodWatch(c.sandbox().client(), c.names(), 3)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> writer.acknowledged().size() > 20);

                long t1 = System.nanoTime();
                scaleStatefulSet(c, 1);
                awaitRestored(c, ids, pods);
                long fromOne = SandboxCluster.millisSince(t1);

                Set<String> podsBefore = podUids(c);
                int pdbWritesBefore = pdbWrites(c);
                Set<Integer> minAvailableSeen = ConcurrentHashMap.newKeySet();
                long t2;
                try (var watch = c.sandbox().client().policy().v1().podDisruptionBudget().inNamespace(Sandbox.NAMESPACE)
                        .withName(c.names().disruptionBudget()).watch(new PdbRecorder(minAvailableSeen))) {
                    t2 = System.nanoTime();
                    scaleStatefulSet(c, 0);
                    // Every pod went away (scaled to 0): the ones that come back are new pods on the same volumes.
                    await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                            assertThat(podUids(c)).hasSize(3).doesNotContainAnyElementsOf(podsBefore));
                    awaitRestored(c, ids, pods);
                }
                long fromZero = SandboxCluster.millisSince(t2);

                Thread.sleep(500);
                writer.close();
                c.assertEveryAcknowledgedWriteReadable(writer.acknowledged(), 100);
                int pdbWrites = pdbWrites(c) - pdbWritesBefore;
                System.out.printf("hand-scaled StatefulSet: 3->1 restored and Ready in %d ms, 3->0 restored and Ready in %d ms"
                                + " (same member IDs), PDB minAvailable seen %s, %d PDB writes by the operator after the scale to 0,"
                                + " longest write outage %d ms, %d acknowledged writes%n",
                        fromOne, fromZero, minAvailableSeen, pdbWrites, writer.longestOutageMillis(), writer.acknowledged().size());
                assertThat(minAvailableSeen).as("the budget's minAvailable while every member was down").containsOnly(2);
                assertThat(pdbWrites).as("PDB writes while etcd could not be read").isZero();
                assertThat(c.sandbox().plane().audit().refused(ConvergedSystemIT.OPERATOR)).as("refused requests").isEmpty();
            }
        }
    }

    /** Through the StatefulSet's scale subresource, as {@code kubectl scale sts} does. */
    private static void scaleStatefulSet(SandboxCluster c, int replicas) {
        c.sandbox().client().apps().statefulSets().inNamespace(Sandbox.NAMESPACE).withName(c.names().statefulSet()).scale(replicas);
    }

    /**
     * Replicas back at 3 and every member pod serving again. The pods are asked first: the cluster's status can
     * still read Ready from before the StatefulSet controller deleted a pod.
     */
    private static void awaitRestored(SandboxCluster c, Map<String, String> ids, MemberPodWatch pods) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            assertThat(c.sandbox().client().apps().statefulSets().inNamespace(Sandbox.NAMESPACE).withName(c.names().statefulSet())
                    .get().getSpec().getReplicas()).as("StatefulSet replicas").isEqualTo(3);
            assertThat(pods.allServing()).as("every member pod Ready").isTrue();
            assertThat(memberIds(c)).as("the same members, back on their volumes").isEqualTo(ids);
        });
        c.awaitReady(3, Duration.ofSeconds(120));
    }

    private static Map<String, String> memberIds(SandboxCluster c) {
        return c.cluster().getStatus().getMembers().stream().collect(Collectors.toMap(MemberStatus::getName, MemberStatus::getId));
    }

    private static Set<String> podUids(SandboxCluster c) {
        List<Pod> pods = c.sandbox().client().pods().inNamespace(Sandbox.NAMESPACE).list().getItems();
        return pods.stream().filter(p -> p.getMetadata().getName().startsWith(NAME + "-") && p.getMetadata().getDeletionTimestamp() == null)
                .map(p -> p.getMetadata().getUid()).collect(Collectors.toSet());
    }

    private static int pdbWrites(SandboxCluster c) {
        List<AuditLog.Entry> writes = c.sandbox().plane().audit().writes(ConvergedSystemIT.OPERATOR);
        return (int) writes.stream().filter(e -> "poddisruptionbudgets".equals(e.resource())).count();
    }

    /** Every minAvailable the budget has while watched, the one it had when the watch started included. */
    private record PdbRecorder(Set<Integer> seen) implements Watcher<PodDisruptionBudget> {
        @Override
        public void eventReceived(Action action, PodDisruptionBudget pdb) {
            seen.add(pdb.getSpec().getMinAvailable().getIntVal());
        }

        @Override
        public void onClose(WatcherException cause) {
        }
    }
}
