package com.storageos.etcd.sandbox.node;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The kubelet's pod sync on the sandbox node: each pod bound to a Node it plays runs as a {@link PodRunner} once its claims,
 * Secrets and envFrom ConfigMaps are there; on a deletionTimestamp the pod is stopped within its grace period and then
 * deleted for good with gracePeriodSeconds=0, as a kubelet does; a pod deleted for good by someone else is stopped at once.
 */
final class Kubelet implements AutoCloseable {
    private final KubernetesClient client;
    private final Path root;
    private final Function<Pod, String> podIps;
    private final BootstrapInit init;
    private final ToolModeContainer tools;
    private final VolumeProvisioner volumes;
    /** The Nodes this kubelet plays. */
    private final Set<String> nodeNames;
    /** Wakes the sync loop once a pod has stopped. */
    private final Runnable nudge;
    private final Map<String, PodRunner> runners = new ConcurrentHashMap<>();
    private final Set<String> stopping = ConcurrentHashMap.newKeySet();

    Kubelet(KubernetesClient client, Path root, Function<Pod, String> podIps, BootstrapInit init, ToolModeContainer tools,
            VolumeProvisioner volumes, Set<String> nodeNames, Runnable nudge) {
        this.client = client;
        this.root = root;
        this.podIps = podIps;
        this.init = init;
        this.tools = tools;
        this.volumes = volumes;
        this.nodeNames = nodeNames;
        this.nudge = nudge;
    }

    /** Stops the pods whose UID the API no longer has. */
    void forgetGone(Set<String> uids) {
        for (String uid : Set.copyOf(runners.keySet())) {
            if (!uids.contains(uid) && stopping.add(uid)) {
                stopAndForget(uid, Duration.ZERO, null); // deleted for good by someone else (a force delete)
            }
        }
    }

    /** One bound pod as the API has it: started, stopped (being deleted), or its new copy handed to its runner. */
    void sync(Pod pod) {
        if (!nodeNames.contains(pod.getSpec().getNodeName())) {
            return;
        }
        String uid = pod.getMetadata().getUid();
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
                    SandboxNode.deleteTree(runner.volumes().podDir());
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
                nudge.run();
            }
        }, "stop-" + uid);
        stopper.setDaemon(true);
        stopper.start();
    }

    /** The runners of the pods that run and are not being stopped. */
    Collection<PodRunner> running() {
        return Map.copyOf(runners).entrySet().stream().filter(e -> !stopping.contains(e.getKey())).map(Map.Entry::getValue).toList();
    }

    /** The runner of a running pod, by name. */
    Optional<PodRunner> runner(String namespace, String podName) {
        return runners.values().stream().filter(r -> r.pod().getMetadata().getNamespace().equals(namespace)
                && r.pod().getMetadata().getName().equals(podName) && !stopping.contains(r.pod().getMetadata().getUid())).findFirst();
    }

    /** Stops every pod at once (SIGTERM, then SIGKILL), as when the machine shuts down. */
    @Override
    public void close() {
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
