package com.storageos.etcd.sandbox.node;

import com.storageos.etcd.testing.kube.ControlPlane;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Plays the one node of the sandbox, and only the node: a Ready Node object; the scheduler's binding
 * of each pending pod whose claims are bound and whose requests fit ({@link SandboxScheduler}); a volume provisioner; and a
 * kubelet that runs each bound pod as a {@link PodRunner}, reports through {@code pods/status}, and
 * on a deletionTimestamp stops the pod within its grace period and then deletes it for good with
 * gracePeriodSeconds=0, as a kubelet does; it rewrites a running pod's Secret volumes every {@link #SECRET_SYNC} when
 * their Secret changed, without restarting the container. Everything else is the real control plane's.
 */
public final class SandboxNode implements AutoCloseable {
    static final String NODE_NAME = "sandbox-node";
    public static final String NODE_IP = "127.0.0.1";
    private final KubernetesClient client;
    private final Path root;
    private final Function<Pod, String> podIps;
    private final BootstrapInit init;
    private final ToolModeContainer tools;
    private final VolumeProvisioner volumes;
    private final SandboxScheduler scheduler;
    private final Map<String, PodRunner> runners = new ConcurrentHashMap<>();
    private final Set<String> stopping = ConcurrentHashMap.newKeySet();
    /** The Nodes this kubelet plays: its own, and those added for a DaemonSet's pods (one per node, all run here). */
    private final Set<String> nodeNames = ConcurrentHashMap.newKeySet();
    /**
     * How often the kubelet looks at the Secrets behind its pods' volumes and rewrites those that changed. A real kubelet
     * does this in its periodic pod sync (syncFrequency, 1 min by default, through a cached Secret): a changed Secret
     * reaches a running container some time later, never at once. Shorter here so that tests stay short;
     * {@code -Dsandbox.secretSyncSeconds=N} changes it.
     */
    static final Duration SECRET_SYNC = Duration.ofSeconds(Long.getLong("sandbox.secretSyncSeconds", 10));
    private final SyncLoop loop;
    private final Thread secretSync;
    private volatile boolean closed;

    /** @param podIps the address a pod's processes listen on (its pod IP; a loopback address here) */
    public SandboxNode(ControlPlane plane, Path root, Function<Pod, String> podIps) {
        this.client = plane.admin();
        this.root = root;
        this.podIps = podIps;
        this.init = new BootstrapInit(plane);
        this.tools = new ToolModeContainer(plane);
        this.volumes = new VolumeProvisioner(client, root.resolve("volumes"), NODE_NAME);
        this.scheduler = new SandboxScheduler(client, plane.url(), volumes, nodeNames);
        registerNode(NODE_NAME, Map.of());
        this.loop = new SyncLoop("sandbox-node", this::sync);
        loop.watch(client.pods().inAnyNamespace());
        loop.watch(client.persistentVolumeClaims().inAnyNamespace());
        loop.watch(client.persistentVolumes());
        loop.start();
        this.secretSync = new Thread(this::syncSecretsPeriodically, "sandbox-node-secrets");
        secretSync.setDaemon(true);
        secretSync.start();
    }

    private void syncSecretsPeriodically() {
        while (!closed) {
            try {
                Thread.sleep(SECRET_SYNC.toMillis());
                syncSecrets();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException | IOException e) {
                if (!closed) {
                    System.err.println("sandbox node: Secret volume sync: " + e);
                }
            }
        }
    }

    /** Rewrites each running pod's Secret volumes whose Secret changed; a Secret that is gone leaves its files as they are, as with a kubelet. */
    private void syncSecrets() throws IOException {
        for (Map.Entry<String, PodRunner> e : Map.copyOf(runners).entrySet()) {
            if (stopping.contains(e.getKey())) {
                continue;
            }
            VolumeMounts mounts = e.getValue().volumes();
            String ns = e.getValue().pod().getMetadata().getNamespace();
            for (Map.Entry<String, String> volume : mounts.secretVolumes().entrySet()) {
                var secret = client.secrets().inNamespace(ns).withName(volume.getValue()).get();
                if (secret != null) {
                    mounts.refreshSecret(volume.getKey(), secret.getData() == null ? Map.of() : secret.getData());
                }
            }
        }
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
        Map<String, Quantity> capacity = new HashMap<>(SandboxScheduler.ALLOCATABLE);
        capacity.put("pods", new Quantity("110"));
        Node node = client.nodes().resource(new NodeBuilder()
                .withNewMetadata().withName(name).addToLabels(labels).addToLabels("kubernetes.io/hostname", name)
                .addToLabels("kubernetes.io/os", "linux").endMetadata()
                .build()).create();
        node.setStatus(new NodeStatusBuilder()
                .withCapacity(capacity).withAllocatable(capacity)
                .addNewAddress().withType("InternalIP").withAddress(NODE_IP).endAddress()
                .addNewAddress().withType("Hostname").withAddress(name).endAddress()
                .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady")
                .withMessage("the sandbox node runs pods as local processes").withLastHeartbeatTime(Instant.now().toString())
                .withLastTransitionTime(Instant.now().toString()).endCondition()
                .withNewNodeInfo().withKubeletVersion("v1.26.5").withContainerRuntimeVersion("sandbox://local-processes")
                .withOperatingSystem("linux").withArchitecture("amd64").withOsImage("sandbox").withKernelVersion("")
                .withKubeProxyVersion("").withMachineID("").withSystemUUID("").withBootID("").endNodeInfo()
                .build());
        node.getMetadata().setResourceVersion(null); // unconditional: controllers annotate a new Node at once
        // The client still fills in a resourceVersion it read, so a controller's write in between is a 409: try again.
        for (int attempt = 1; ; attempt++) {
            try {
                client.nodes().resource(node).updateStatus();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 5) {
                    throw e;
                }
            }
        }
    }

    private synchronized void sync() {
        volumes.sync();
        Map<String, Pod> pods = client.pods().inAnyNamespace().list().getItems().stream()
                .collect(Collectors.toMap(p -> p.getMetadata().getUid(), p -> p));
        for (String uid : Set.copyOf(runners.keySet())) {
            if (!pods.containsKey(uid) && stopping.add(uid)) {
                stopAndForget(uid, Duration.ZERO, null); // deleted for good by someone else (a force delete)
            }
        }
        for (Pod pod : pods.values()) {
            String uid = pod.getMetadata().getUid();
            if (pod.getSpec().getNodeName() == null) {
                if (pod.getMetadata().getDeletionTimestamp() == null) {
                    scheduler.schedule(pod);
                }
            } else if (nodeNames.contains(pod.getSpec().getNodeName())) {
                if (pod.getMetadata().getDeletionTimestamp() != null) {
                    if (stopping.add(uid)) {
                        long grace = Optional.ofNullable(pod.getMetadata().getDeletionGracePeriodSeconds()).orElse(30L);
                        stopAndForget(uid, Duration.ofSeconds(grace), pod);
                    }
                } else if (!runners.containsKey(uid)) {
                    startRunner(pod);
                } else if (!stopping.contains(uid)) {
                    Optional.ofNullable(runners.get(uid)).ifPresent(r -> r.seen(pod));
                }
            }
        }
    }

    private void startRunner(Pod pod) {
        String ns = pod.getMetadata().getNamespace();
        Map<String, Path> claimDirs = new HashMap<>();
        for (String claim : VolumeMounts.claimsOf(pod)) {
            Optional<Path> dir = volumes.boundDir(ns, claim);
            if (dir.isEmpty()) {
                return; // the kubelet waits for the volume to be there
            }
            claimDirs.put(claim, dir.get());
        }
        Map<String, Map<String, String>> secrets = new HashMap<>();
        for (var v : pod.getSpec().getVolumes()) {
            if (v.getSecret() != null) {
                var secret = client.secrets().inNamespace(ns).withName(v.getSecret().getSecretName()).get();
                if (secret == null) {
                    return; // the kubelet waits for the Secret to be there
                }
                secrets.put(v.getName(), secret.getData() == null ? Map.of() : secret.getData());
            }
        }
        // envFrom is read once, when the container starts, as a kubelet does: a later change of the ConfigMap reaches no running process.
        Map<String, String> configMapEnv = new HashMap<>();
        for (var from : pod.getSpec().getContainers().get(0).getEnvFrom()) {
            if (from.getConfigMapRef() != null) {
                var map = client.configMaps().inNamespace(ns).withName(from.getConfigMapRef().getName()).get();
                if (map == null) {
                    return; // the kubelet waits for the ConfigMap to be there
                }
                configMapEnv.putAll(map.getData() == null ? Map.of() : map.getData());
            }
        }
        Path podDir = root.resolve("pods").resolve(ns).resolve(pod.getMetadata().getName());
        String podIp = podIps.apply(pod);
        PodRunner runner = new PodRunner(pod, new VolumeMounts(pod, claimDirs, secrets, configMapEnv,
                podDir.resolve(pod.getMetadata().getUid())), podDir,
                podIp, init, tools, new PodStatusReport(client, pod, podIp));
        runners.put(pod.getMetadata().getUid(), runner);
        runner.start();
    }

    /** Stops a pod's containers off the sync thread, then (for a pod being deleted) deletes it for good. */
    private void stopAndForget(String uid, Duration grace, Pod deleted) {
        PodRunner runner = runners.get(uid);
        Thread stopper = new Thread(() -> {
            try {
                if (runner != null) {
                    runner.stop(grace);
                    deleteTree(runner.volumes().podDir());
                }
                if (deleted != null) {
                    client.pods().inNamespace(deleted.getMetadata().getNamespace()).withName(deleted.getMetadata().getName())
                            .withGracePeriod(0).delete();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException | RuntimeException e) {
                System.err.println("sandbox node: stopping pod " + uid + ": " + e);
            } finally {
                runners.remove(uid);
                stopping.remove(uid);
                loop.nudge();
            }
        }, "stop-" + uid);
        stopper.setDaemon(true);
        stopper.start();
    }

    /** The scheduler's part, whose holds keep chosen pods Pending. */
    public SandboxScheduler scheduler() {
        return scheduler;
    }

    /** Chaos: kill -9 of a pod's main container; the kubelet restarts it in place. */
    public void killContainer(String namespace, String podName) {
        runner(namespace, podName).ifPresent(PodRunner::kill);
    }

    /**
     * Chaos: a pod's main container hangs (SIGSTOP): its member stops answering without exiting, until
     * {@link #thawContainer} or until its liveness probe fails and the kubelet restarts it in place.
     */
    public void freezeContainer(String namespace, String podName) throws IOException, InterruptedException {
        runner(namespace, podName).orElseThrow(() -> new IllegalStateException(podName + " does not run here")).signal("STOP");
    }

    /** The process id of a pod's running main container, for signals of a test's own. */
    public long containerPid(String namespace, String podName) {
        return runner(namespace, podName).orElseThrow(() -> new IllegalStateException(podName + " does not run here")).pid()
                .orElseThrow(() -> new IllegalStateException(podName + "'s container does not run"));
    }

    public void thawContainer(String namespace, String podName) throws IOException, InterruptedException {
        runner(namespace, podName).orElseThrow(() -> new IllegalStateException(podName + " does not run here")).signal("CONT");
    }

    /**
     * Chaos under a running pod ({@link VolumeChaos}: a wipe, a lost {@code member/}, a copy, a rollback): its container is
     * killed, the change made, and the kubelet restarts it in place (the init container does not run again).
     */
    public void changeVolume(String namespace, String podName, VolumeChaos change) throws IOException, InterruptedException {
        runner(namespace, podName).orElseThrow(() -> new IllegalStateException(podName + " does not run here")).changeClaims(change);
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

    private Optional<PodRunner> runner(String namespace, String podName) {
        return runners.values().stream().filter(r -> r.pod().getMetadata().getNamespace().equals(namespace)
                && r.pod().getMetadata().getName().equals(podName) && !stopping.contains(r.pod().getMetadata().getUid())).findFirst();
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
        closed = true;
        secretSync.interrupt();
        loop.close();
        runners.values().parallelStream().forEach(r -> {
            try {
                r.stop(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        runners.clear();
    }
}
