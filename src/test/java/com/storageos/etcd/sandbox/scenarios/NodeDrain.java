package com.storageos.etcd.sandbox.scenarios;

import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.naming.Labels;
import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.EvictionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * A node-pool drain as {@code kubectl drain} does it: every member pod seen at the start is evicted through the Eviction
 * API, each asked again after a refusal (HTTP 429) until it goes; a pod replaced by someone else meanwhile counts as gone,
 * as kubectl sees it. It asks every second, faster than kubectl's 5 s, so that it lands as soon as the budget allows.
 */
final class NodeDrain implements AutoCloseable {
    private static final Duration RETRY = Duration.ofSeconds(1);
    private final KubernetesClient client;
    private final ClusterNames names;
    private final Set<String> pending;
    private final AtomicInteger evicted = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final Thread thread;

    private NodeDrain(KubernetesClient client, ClusterNames names) {
        this.client = client;
        this.names = names;
        this.pending = new HashSet<>(uids().values());
        this.thread = new Thread(this::run, "node-drain");
        thread.setDaemon(true);
    }

    static NodeDrain start(KubernetesClient client, ClusterNames names) {
        NodeDrain drain = new NodeDrain(client, names);
        drain.thread.start();
        return drain;
    }

    boolean done() {
        synchronized (pending) {
            return pending.isEmpty();
        }
    }

    int evicted() {
        return evicted.get();
    }

    /** Evictions the PodDisruptionBudget refused before they went through. */
    int refused() {
        return refused.get();
    }

    private void run() {
        while (!Thread.currentThread().isInterrupted() && !done()) {
            Map<String, String> now = uids();
            synchronized (pending) {
                pending.retainAll(now.values());
            }
            now.forEach((pod, uid) -> {
                boolean wanted;
                synchronized (pending) {
                    wanted = pending.contains(uid);
                }
                if (wanted && evict(pod, uid)) {
                    synchronized (pending) {
                        pending.remove(uid);
                    }
                }
            });
            try {
                Thread.sleep(RETRY.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private boolean evict(String pod, String uid) {
        try {
            boolean went = client.pods().inNamespace(names.namespace()).withName(pod).evict(new EvictionBuilder()
                    .withNewMetadata().withName(pod).withNamespace(names.namespace()).endMetadata()
                    .withDeleteOptions(new DeleteOptionsBuilder().withNewPreconditions().withUid(uid).endPreconditions().build()).build());
            (went ? evicted : refused).incrementAndGet();
            return went;
        } catch (KubernetesClientException e) {
            return e.getCode() == 404 || e.getCode() == 409; // already replaced
        }
    }

    private Map<String, String> uids() {
        return client.pods().inNamespace(names.namespace()).withLabels(Labels.memberSelector(names.cluster())).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .collect(Collectors.toMap(p -> p.getMetadata().getName(), (Pod p) -> p.getMetadata().getUid()));
    }

    @Override
    public void close() throws InterruptedException {
        thread.interrupt();
        thread.join(5_000);
    }
}
