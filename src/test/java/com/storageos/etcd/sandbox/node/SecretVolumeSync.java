package com.storageos.etcd.sandbox.node;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The kubelet's periodic rewrite of running pods' Secret volumes whose Secret changed, without restarting the container;
 * a Secret that is gone leaves its files as they are, as with a kubelet.
 */
final class SecretVolumeSync implements AutoCloseable {
    /**
     * How often the kubelet looks at the Secrets behind its pods' volumes and rewrites those that changed. A real kubelet
     * does this in its periodic pod sync (syncFrequency, 1 min by default, through a cached Secret): a changed Secret
     * reaches a running container some time later, never at once. Shorter here so that tests stay short;
     * {@code -Dsandbox.secretSyncSeconds=N} changes it.
     */
    static final Duration SECRET_SYNC = Duration.ofSeconds(Long.getLong("sandbox.secretSyncSeconds", 10));
    private final KubernetesClient client;
    private final Supplier<Collection<PodRunner>> running;
    private final Thread thread;
    private volatile boolean closed;

    /** @param running the pods that run and are not being stopped */
    SecretVolumeSync(KubernetesClient client, Supplier<Collection<PodRunner>> running) {
        this.client = client;
        this.running = running;
        this.thread = new Thread(this::syncPeriodically, "sandbox-node-secrets");
        thread.setDaemon(true);
        thread.start();
    }

    private void syncPeriodically() {
        while (!closed) {
            try {
                Thread.sleep(SECRET_SYNC.toMillis());
                sync();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException | IOException e) {
                if (!closed) {
                    System.err.println("sandbox node: Secret volume sync: " + e);
                }
            }
        }
    }

    private void sync() throws IOException {
        for (PodRunner runner : running.get()) {
            VolumeMounts mounts = runner.volumes();
            String ns = runner.pod().getMetadata().getNamespace();
            for (Map.Entry<String, String> volume : mounts.secretVolumes().entrySet()) {
                var secret = client.secrets().inNamespace(ns).withName(volume.getValue()).get();
                if (secret != null) {
                    mounts.refreshSecret(volume.getKey(), secret.getData() == null ? Map.of() : secret.getData());
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
