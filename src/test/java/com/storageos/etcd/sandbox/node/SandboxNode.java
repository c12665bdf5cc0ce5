package com.storageos.etcd.sandbox.node;

import com.storageos.etcd.testing.kube.ControlPlane;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Plays the one node of the sandbox, and only the node: a Ready Node object ({@link NodeObject}); the scheduler's binding
 * of each pending pod whose claims are bound and whose requests fit ({@link SandboxScheduler}); a volume provisioner; and a
 * kubelet ({@link Kubelet}) that runs each bound pod as a {@link PodRunner}, reports through {@code pods/status}, and
 * on a deletionTimestamp stops the pod within its grace period and then deletes it for good with
 * gracePeriodSeconds=0, as a kubelet does; it rewrites a running pod's Secret volumes every
 * {@link SecretVolumeSync#SECRET_SYNC} when their Secret changed, without restarting the container. Everything else is the
 * real control plane's. Its public methods are the chaos a test does to a node.
 */
public final class SandboxNode implements AutoCloseable {
    static final String NODE_NAME = "sandbox-node";
    public static final String NODE_IP = "127.0.0.1";
    private final KubernetesClient client;
    private final VolumeProvisioner volumes;
    private final SandboxScheduler scheduler;
    private final Kubelet kubelet;
    /** The Nodes this kubelet plays: its own, and those added for a DaemonSet's pods (one per node, all run here). */
    private final Set<String> nodeNames = ConcurrentHashMap.newKeySet();
    private final SyncLoop loop;
    private final SecretVolumeSync secretSync;

    /** @param podIps the address a pod's processes listen on (its pod IP; a loopback address here) */
    public SandboxNode(ControlPlane plane, Path root, Function<Pod, String> podIps) {
        this.client = plane.admin();
        this.volumes = new VolumeProvisioner(client, root.resolve("volumes"), NODE_NAME);
        this.scheduler = new SandboxScheduler(client, plane.url(), volumes, nodeNames);
        this.loop = new SyncLoop("sandbox-node", this::sync);
        this.kubelet = new Kubelet(client, root, podIps, new BootstrapInit(plane), new ToolModeContainer(plane), volumes, nodeNames,
                loop::nudge);
        registerNode(NODE_NAME, Map.of());
        loop.watch(client.pods().inAnyNamespace());
        loop.watch(client.persistentVolumeClaims().inAnyNamespace());
        loop.watch(client.persistentVolumes());
        loop.start();
        this.secretSync = new SecretVolumeSync(client, kubelet::running);
    }

    /**
     * One more Ready Node, labelled {@code labels}, whose pods run here too: a DaemonSet over such Nodes gets a pod per Node, each
     * bound where its node affinity says (see {@link SandboxScheduler}).
     */
    public void addNode(String name, Map<String, String> labels) {
        registerNode(name, labels);
        loop.nudge();
    }

    private void registerNode(String name, Map<String, String> labels) {
        nodeNames.add(name);
        NodeObject.register(client, name, labels);
    }

    private synchronized void sync() {
        volumes.sync();
        Map<String, Pod> pods = client.pods().inAnyNamespace().list().getItems().stream()
                .collect(Collectors.toMap(p -> p.getMetadata().getUid(), p -> p));
        kubelet.forgetGone(pods.keySet());
        for (Pod pod : pods.values()) {
            if (pod.getSpec().getNodeName() == null) {
                if (pod.getMetadata().getDeletionTimestamp() == null) {
                    scheduler.schedule(pod);
                }
            } else {
                kubelet.sync(pod);
            }
        }
    }

    /** The scheduler's part, whose holds keep chosen pods Pending. */
    public SandboxScheduler scheduler() {
        return scheduler;
    }

    /** Chaos: kill -9 of a pod's main container; the kubelet restarts it in place. */
    public void killContainer(String namespace, String podName) {
        kubelet.runner(namespace, podName).ifPresent(PodRunner::kill);
    }

    /**
     * Chaos: a pod's main container hangs (SIGSTOP): its member stops answering without exiting, until
     * {@link #thawContainer} or until its liveness probe fails and the kubelet restarts it in place.
     */
    public void freezeContainer(String namespace, String podName) throws IOException, InterruptedException {
        kubelet.runner(namespace, podName).orElseThrow(() -> new IllegalStateException(podName + " does not run here")).signal("STOP");
    }

    /** The process id of a pod's running main container, for signals of a test's own. */
    public long containerPid(String namespace, String podName) {
        return kubelet.runner(namespace, podName).orElseThrow(() -> new IllegalStateException(podName + " does not run here")).pid()
                .orElseThrow(() -> new IllegalStateException(podName + "'s container does not run"));
    }

    public void thawContainer(String namespace, String podName) throws IOException, InterruptedException {
        kubelet.runner(namespace, podName).orElseThrow(() -> new IllegalStateException(podName + " does not run here")).signal("CONT");
    }

    /**
     * Chaos under a running pod ({@link VolumeChaos}: a wipe, a lost {@code member/}, a copy, a rollback): its container is
     * killed, the change made, and the kubelet restarts it in place (the init container does not run again).
     */
    public void changeVolume(String namespace, String podName, VolumeChaos change) throws IOException, InterruptedException {
        kubelet.runner(namespace, podName).orElseThrow(() -> new IllegalStateException(podName + " does not run here")).changeClaims(change);
    }

    /** Chaos: the disk under a running pod loses its data, as after a local disk was replaced underneath. */
    public void wipeVolume(String namespace, String podName) throws IOException, InterruptedException {
        changeVolume(namespace, podName, VolumeChaos.WIPE);
    }

    /** Chaos: only etcd's {@code member/} dir is lost under a running pod. */
    public void loseMemberDir(String namespace, String podName) throws IOException, InterruptedException {
        changeVolume(namespace, podName, VolumeChaos.LOSE_MEMBER_DIR);
    }

    /** Chaos: a person (or an eviction) deletes the pod; the StatefulSet controller recreates it on the same claim. */
    public void deletePod(String namespace, String podName) {
        client.pods().inNamespace(namespace).withName(podName).delete();
    }

    /**
     * Chaos: the node under a pod is lost with its local disk. The claim is deleted (it stays until its
     * pod is gone), then the pod; the StatefulSet controller recreates the pod and a new, empty claim.
     */
    public void losePodAndClaim(String namespace, String podName) {
        Pod pod = client.pods().inNamespace(namespace).withName(podName).get();
        if (pod == null) {
            return;
        }
        VolumeMounts.claimsOf(pod).forEach(c -> client.persistentVolumeClaims().inNamespace(namespace).withName(c).delete());
        client.pods().inNamespace(namespace).withName(podName).delete();
    }

    static void deleteContents(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : entries.toList()) {
                deleteTree(p);
            }
        }
    }

    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Stops every process at once (SIGTERM, then SIGKILL), as when the machine shuts down. */
    @Override
    public void close() {
        secretSync.close();
        loop.close();
        kubelet.close();
    }
}
