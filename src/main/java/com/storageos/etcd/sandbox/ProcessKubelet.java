package com.storageos.etcd.sandbox;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Plays the kubelet on this machine: every Pod in the API runs as a {@link PodRunner} (its init
 * container in-process, its main container as a local process), a deleted Pod's process is stopped,
 * and a deleted claim's directory is deleted. Volumes live under {@code <root>/claims}, pod
 * directories (logs, config volumes) under {@code <root>/pods}.
 */
public final class ProcessKubelet implements AutoCloseable {
    private final KubernetesClient client;
    private final Path root;
    private final Function<Pod, String> podIps;
    private final InitContainer init;
    private final Map<String, PodRunner> runners = new ConcurrentHashMap<>();
    private final SyncLoop loop;

    /** @param podIps the address a pod's processes listen on (the pod IP; a loopback address here) */
    public ProcessKubelet(KubernetesClient client, Path root, Function<Pod, String> podIps) {
        this.client = client;
        this.root = root;
        this.podIps = podIps;
        this.init = new BootstrapInit(client);
        this.loop = new SyncLoop("process-kubelet", this::sync);
        loop.watch(client.pods().inAnyNamespace());
        loop.watch(client.persistentVolumeClaims().inAnyNamespace());
        loop.start();
    }

    private synchronized void sync() {
        Map<String, Pod> pods = client.pods().inAnyNamespace().list().getItems().stream()
                .collect(Collectors.toMap(p -> p.getMetadata().getUid(), p -> p));
        runners.entrySet().removeIf(e -> {
            boolean gone = !pods.containsKey(e.getKey());
            if (gone) {
                e.getValue().stop();
            }
            return gone;
        });
        pods.values().stream().filter(p -> !runners.containsKey(p.getMetadata().getUid())).forEach(p -> {
            String dir = p.getMetadata().getNamespace() + "/" + p.getMetadata().getName();
            PodRunner runner = new PodRunner(client, p, new VolumeMounts(p, claimsRoot(), root.resolve("pods").resolve(dir)), podIps.apply(p), init);
            runners.put(p.getMetadata().getUid(), runner);
            runner.start();
        });
        releaseDeletedClaims();
    }

    private void releaseDeletedClaims() {
        Set<Path> claimed = client.persistentVolumeClaims().inAnyNamespace().list().getItems().stream()
                .map(PersistentVolumeClaim::getMetadata).map(m -> VolumeMounts.claimDir(claimsRoot(), m.getNamespace(), m.getName()))
                .collect(Collectors.toSet());
        Set<Path> mounted = runners.values().stream().flatMap(r -> StatefulSetEmulator.claimsOf(r.pod()).stream()
                .map(c -> VolumeMounts.claimDir(claimsRoot(), r.pod().getMetadata().getNamespace(), c))).collect(Collectors.toSet());
        for (Path dir : claimDirs()) {
            if (!claimed.contains(dir) && !mounted.contains(dir)) {
                try {
                    deleteTree(dir);
                } catch (IOException e) {
                    System.err.println("kubelet: could not delete " + dir + ": " + e);
                }
            }
        }
    }

    private List<Path> claimDirs() {
        if (!Files.isDirectory(claimsRoot())) {
            return List.of();
        }
        try (Stream<Path> namespaces = Files.list(claimsRoot())) {
            return namespaces.flatMap(ns -> {
                try (Stream<Path> claims = Files.list(ns)) {
                    return claims.toList().stream();
                } catch (IOException e) {
                    return Stream.empty();
                }
            }).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private Path claimsRoot() {
        return root.resolve("claims");
    }

    /** kill -9 of a pod's main process: the kubelet restarts it on the same volume. */
    public void kill(String namespace, String podName) {
        runner(namespace, podName).ifPresent(PodRunner::kill);
    }

    /**
     * The pod's volume is lost with its node: the process dies, the claim's directory is emptied and
     * the pod is deleted (its replacement starts on an empty volume). The claim object stays, as
     * when a local disk dies under a bound claim.
     */
    public synchronized void loseVolume(String namespace, String podName) throws IOException {
        Optional<PodRunner> runner = runner(namespace, podName);
        if (runner.isEmpty()) {
            return;
        }
        runner.get().kill();
        runner.get().stop();
        runners.values().remove(runner.get());
        for (String claim : StatefulSetEmulator.claimsOf(runner.get().pod())) {
            deleteTree(VolumeMounts.claimDir(claimsRoot(), namespace, claim));
        }
        client.pods().inNamespace(namespace).withName(podName).delete();
    }

    private Optional<PodRunner> runner(String namespace, String podName) {
        return runners.values().stream().filter(r -> r.pod().getMetadata().getNamespace().equals(namespace)
                && r.pod().getMetadata().getName().equals(podName)).findFirst();
    }

    static boolean isReady(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Override
    public void close() {
        loop.close();
        runners.values().forEach(PodRunner::stop);
        runners.clear();
    }
}
