package com.storageos.etcd.sandbox;

import com.storageos.etcd.membership.StorageOSNodes;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.IntStream;

/**
 * StorageOS's node pods as the API server shows them: labelled as the StorageOS operator's node DaemonSet labels them, bound
 * to nodes the sandbox's own node does not run, with the start time a kubelet would report. Restarting one replaces it with a
 * pod that started now, as deleting a pod of that OnDelete DaemonSet does.
 */
final class StorageOSNodePods {
    private final Sandbox sandbox;
    private final int count;

    StorageOSNodePods(Sandbox sandbox, int count) {
        this.sandbox = sandbox;
        this.count = count;
    }

    /**
     * Every node pod, started an hour ago: before any address change of the test. Their Nodes exist (the pod garbage collector
     * deletes a pod bound to a missing Node); no node lifecycle controller runs here to taint them.
     */
    void startLongAgo() {
        IntStream.range(0, count).forEach(i -> sandbox.client().nodes().resource(new io.fabric8.kubernetes.api.model.NodeBuilder()
                .withNewMetadata().withName("storageos-node-" + i).endMetadata().build()).createOr(existing -> existing.update()));
        names().forEach(name -> start(name, Instant.now().minus(1, ChronoUnit.HOURS)));
    }

    /** Deletes and recreates every node pod, one at a time, as a user does after reading the condition. */
    void restartAll() {
        names().forEach(name -> {
            sandbox.client().pods().inNamespace("storageos").withName(name).withGracePeriod(0).delete();
            start(name, Instant.now());
        });
    }

    private List<String> names() {
        return IntStream.range(0, count).mapToObj(i -> "storageos-daemonset-" + i).toList();
    }

    private void start(String name, Instant at) {
        Pod pod = new PodBuilder().withNewMetadata().withName(name).withNamespace("storageos").withLabels(StorageOSNodes.DEFAULT_LABELS)
                .endMetadata().withNewSpec().withNodeName("storageos-node-" + name.substring(name.lastIndexOf('-') + 1))
                .addNewContainer().withName("storageos").withImage("storageos/node:v2").endContainer().endSpec().build();
        await(() -> sandbox.client().pods().inNamespace("storageos").withName(name).get() == null);
        Pod created = sandbox.client().resource(pod).create();
        created.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Running")
                .withStartTime(at.truncatedTo(ChronoUnit.SECONDS).toString()).build());
        sandbox.client().pods().inNamespace("storageos").resource(created).updateStatus();
    }

    private static void await(java.util.function.BooleanSupplier gone) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!gone.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("a StorageOS node pod was not deleted within 30 s");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
