package com.storageos.etcd.reconciler.kvbackend;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/** core/v1 Events about an EtcdCluster, so that `kubectl describe etcdcluster` shows what happened to StorageOS. */
final class KvBackendEvents {
    static final String COMPONENT = "etcd-operator-kvbackend";
    private static final Logger LOG = Logger.getLogger(KvBackendEvents.class);
    private static final AtomicLong SEQUENCE = new AtomicLong();
    private final KubernetesClient client;
    private final Clock clock;

    KvBackendEvents(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    void normal(EtcdCluster cluster, String reason, String message) {
        emit(cluster, "Normal", reason, message);
    }

    void warning(EtcdCluster cluster, String reason, String message) {
        emit(cluster, "Warning", reason, message);
    }

    private void emit(EtcdCluster cluster, String type, String reason, String message) {
        String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
        var meta = cluster.getMetadata();
        Event event = new EventBuilder()
                .withNewMetadata().withNamespace(meta.getNamespace())
                .withName(meta.getName() + "." + Long.toHexString(clock.millis()) + Long.toHexString(SEQUENCE.incrementAndGet()))
                .endMetadata()
                .withNewInvolvedObject().withApiVersion(cluster.getApiVersion()).withKind(cluster.getKind())
                .withName(meta.getName()).withNamespace(meta.getNamespace()).withUid(meta.getUid()).endInvolvedObject()
                .withType(type).withReason(reason).withMessage(message).withCount(1)
                .withFirstTimestamp(now).withLastTimestamp(now)
                .withNewSource().withComponent(COMPONENT).endSource().withReportingComponent(COMPONENT)
                .build();
        try {
            client.v1().events().inNamespace(meta.getNamespace()).resource(event).create();
        } catch (KubernetesClientException e) {
            // An event is a courtesy; failing to record one must not fail the sync it describes.
            LOG.warnf("could not record event %s on %s/%s: %s", reason, meta.getNamespace(), meta.getName(), e.getMessage());
        }
    }
}
