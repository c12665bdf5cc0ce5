package com.storageos.etcd.events;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.jboss.logging.Logger;

/** Kubernetes Events on an EtcdCluster, for the transitions a person wants to see in kubectl describe. */
public class ClusterEvents {
    private static final Logger LOG = Logger.getLogger(ClusterEvents.class);
    private final KubernetesClient client;
    private final Clock clock;
    private final String component;

    public ClusterEvents(KubernetesClient client, Clock clock) {
        this(client, clock, "etcd-operator");
    }

    /** @param component the reporting component shown by kubectl (the operator, or a tool Job) */
    public ClusterEvents(KubernetesClient client, Clock clock, String component) {
        this.client = client;
        this.clock = clock;
        this.component = component;
    }

    public void emit(EtcdCluster cluster, boolean normal, String reason, String message) {
        emit(cluster, normal ? "Normal" : "Warning", reason, message);
    }

    public void normal(EtcdCluster cluster, String reason, String message) {
        emit(cluster, "Normal", reason, message);
    }

    public void warning(EtcdCluster cluster, String reason, String message) {
        emit(cluster, "Warning", reason, message);
    }

    private void emit(EtcdCluster cluster, String type, String reason, String message) {
        LOG.infof("%s/%s %s %s: %s", cluster.getMetadata().getNamespace(), cluster.getMetadata().getName(), type, reason, message);
        String now = Instant.now(clock).toString();
        try {
            client.v1().events().inNamespace(cluster.getMetadata().getNamespace()).resource(new EventBuilder()
                    .withNewMetadata().withName(cluster.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 13))
                    .withNamespace(cluster.getMetadata().getNamespace()).endMetadata()
                    .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion(cluster.getApiVersion()).withKind(cluster.getKind())
                            .withName(cluster.getMetadata().getName()).withNamespace(cluster.getMetadata().getNamespace())
                            .withUid(cluster.getMetadata().getUid()).build())
                    .withType(type).withReason(reason).withMessage(message)
                    .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                    .withNewSource().withComponent(component).endSource()
                    .build()).create();
        } catch (KubernetesClientException e) {
            // An event is worth less than the reconcile that emits it.
            LOG.debugf("could not record event %s: %s", reason, e.getMessage());
        }
    }
}
