package com.storageos.etcd.tool;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.status.ConditionReason;
import com.storageos.etcd.api.v1alpha1.status.EtcdClusterStatus;
import com.storageos.etcd.clusterstatus.ClusterStatusWriter;
import com.storageos.etcd.events.ClusterEvents;
import com.storageos.etcd.status.Conditions;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * How a tool tells the world what it did: its own status fields and condition, through the one status writer
 * (so a concurrent write by the operator is never lost), and an Event.
 */
public final class ClusterRecorder {
    private final KubernetesClient client;
    private final String namespace;
    private final String name;
    private final Clock clock;
    private final ClusterStatusWriter writer;

    public ClusterRecorder(KubernetesClient client, String namespace, String name, Clock clock) {
        this.client = client;
        this.namespace = namespace;
        this.name = name;
        this.clock = clock;
        this.writer = new ClusterStatusWriter(client);
    }

    public EtcdCluster get() {
        EtcdCluster cluster = client.resources(EtcdCluster.class).inNamespace(namespace).withName(name).get();
        if (cluster == null) {
            throw new IllegalStateException("EtcdCluster " + namespace + "/" + name + " not found");
        }
        return cluster;
    }

    /** Applies {@code change} to the status as the API server has it now. */
    public void record(Consumer<EtcdClusterStatus> change) {
        writer.update(get(), change);
    }

    /** Replaces the condition of {@code type}; lastTransitionTime only moves when its status flips. */
    public void setCondition(EtcdClusterStatus status, String type, boolean ok, ConditionReason reason, String message, Long generation) {
        status.setConditions(new Conditions(clock).upsert(status.getConditions(), type, ok, reason, message, generation));
    }

    /** Best effort: a lost Event must not turn a good backup into a failed one. */
    public void event(String type, String reason, String message) {
        try {
            new ClusterEvents(client, clock, "etcd-operator-tool").emit(get(), "Normal".equals(type), reason, message);
        } catch (KubernetesClientException e) {
            System.err.println("could not record event " + reason + ": " + e.getMessage());
        }
    }
}
