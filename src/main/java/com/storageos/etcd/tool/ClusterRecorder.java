package com.storageos.etcd.tool;

import com.storageos.etcd.events.ClusterEvents;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * How a tool tells the world what it did: a JSON merge patch of only its own status field and its
 * own condition, and an Event. The conditions list is read, changed in our one entry and written
 * back under the read resourceVersion, so a concurrent status write by the operator is never lost
 * (a conflict re-reads and retries).
 */
public final class ClusterRecorder {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ATTEMPTS = 5;

    private final KubernetesClient client;
    private final String namespace;
    private final String name;
    private final Clock clock;

    public ClusterRecorder(KubernetesClient client, String namespace, String name, Clock clock) {
        this.client = client;
        this.namespace = namespace;
        this.name = name;
        this.clock = clock;
    }

    public EtcdCluster get() {
        EtcdCluster cluster = client.resources(EtcdCluster.class).inNamespace(namespace).withName(name).get();
        if (cluster == null) {
            throw new IllegalStateException("EtcdCluster " + namespace + "/" + name + " not found");
        }
        return cluster;
    }

    /** Sets {@code status.<field>} (null leaves it as it is) and replaces the condition of the same type (null: none). */
    public void record(String field, Object value, Condition condition) {
        for (int attempt = 1; ; attempt++) {
            EtcdCluster current = get();
            ObjectNode patch = JSON.createObjectNode();
            patch.putObject("metadata").put("resourceVersion", current.getMetadata().getResourceVersion());
            ObjectNode status = patch.putObject("status");
            if (value != null) {
                status.set(field, JSON.valueToTree(value));
            }
            if (condition != null) {
                status.set("conditions", JSON.valueToTree(withCondition(current, condition)));
            }
            try {
                client.resources(EtcdCluster.class).inNamespace(namespace).withName(name).subresource("status")
                        .patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString());
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    public Condition condition(String type, boolean ok, String reason, String message, Long generation) {
        return new ConditionBuilder().withType(type).withStatus(ok ? "True" : "False").withReason(reason)
                .withMessage(message).withObservedGeneration(generation)
                .withLastTransitionTime(clock.instant().toString()).build();
    }

    /** Best effort: a lost Event must not turn a good backup into a failed one. */
    public void event(String type, String reason, String message) {
        try {
            new ClusterEvents(client, clock, "etcd-operator-tool").emit(get(), "Normal".equals(type), reason, message);
        } catch (KubernetesClientException e) {
            System.err.println("could not record event " + reason + ": " + e.getMessage());
        }
    }

    /** Our condition replaces the old one of its type; lastTransitionTime only moves when the status flips. */
    private List<Condition> withCondition(EtcdCluster cluster, Condition condition) {
        List<Condition> existing = Optional.ofNullable(cluster.getStatus()).map(s -> s.getConditions()).orElse(List.of());
        return new Conditions(clock).upsert(existing, condition.getType(), "True".equals(condition.getStatus()), condition.getReason(),
                condition.getMessage(), condition.getObservedGeneration());
    }
}
