package com.storageos.etcd.reconciler.storageossync;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.desired.TlsLayout;
import com.storageos.etcd.naming.Labels;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * StorageOS mounts the etcd client certificate from a Secret in its own namespace, under its own key
 * names (etcd-client-ca.crt, etcd-client.crt, etcd-client.key). A Secret cannot be referenced
 * across namespaces, so the cluster's client Secret is copied there and kept equal to the source.
 */
final class EtcdClientSecretCopy {
    static final Map<String, String> KEYS = Map.of(
            "ca.crt", "etcd-client-ca.crt", "tls.crt", "etcd-client.crt", "tls.key", "etcd-client.key");
    private final KubernetesClient client;

    EtcdClientSecretCopy(KubernetesClient client) {
        this.client = client;
    }

    static String copyName(EtcdCluster cluster) {
        return cluster.getMetadata().getName() + "-storageos-etcd-client";
    }

    /** What the StorageOSCluster should reference, after making sure the copy is current. */
    Outcome sync(EtcdCluster cluster, String targetNamespace) {
        TlsLayout tls = TlsLayout.of(cluster);
        if (!tls.client()) {
            return new Outcome(null, null);
        }
        // The client certificate, generated or the user's; its ca.crt is what StorageOS trusts the members by.
        Secret source = client.secrets().inNamespace(cluster.getMetadata().getNamespace()).withName(tls.clientSecret()).get();
        Map<String, String> data = source == null ? null : renamed(source.getData());
        if (data == null) {
            return Outcome.missing("Waiting for client TLS Secret " + tls.clientSecret() + " with ca.crt, tls.crt and tls.key.");
        }
        EtcdClientTlsRef ref = new EtcdClientTlsRef(copyName(cluster), targetNamespace);
        upsert(cluster, ref, data);
        return new Outcome(ref, null);
    }

    private void upsert(EtcdCluster cluster, EtcdClientTlsRef ref, Map<String, String> data) {
        Secret current = client.secrets().inNamespace(ref.namespace()).withName(ref.name()).get();
        if (current != null && Objects.equals(current.getData(), data)) {
            return;
        }
        Secret copy = new SecretBuilder().withNewMetadata().withName(ref.name()).withNamespace(ref.namespace())
                .withLabels(Labels.forComponent(cluster.getMetadata().getName(), "storageos-client-tls")).endMetadata()
                .withType("Opaque").withData(data).build();
        client.secrets().inNamespace(ref.namespace()).resource(copy).createOr(NonDeletingOperation::update);
    }

    /** The cluster is gone: its copy goes too. A Secret cannot be owned across namespaces, so GC cannot do it. */
    void forget(EtcdCluster cluster) {
        if (cluster.getSpec() == null || cluster.getSpec().getStorageos() == null) {
            return;
        }
        var copy = client.secrets().inNamespace(Observed.targetNamespace(cluster)).withName(copyName(cluster));
        Secret current = copy.get();
        // Only a copy we made: a user's Secret of the same name stays.
        Map<String, String> labels = current == null || current.getMetadata().getLabels() == null ? Map.of() : current.getMetadata().getLabels();
        if (current != null && labels.entrySet().containsAll(Labels.forComponent(cluster.getMetadata().getName(), "storageos-client-tls").entrySet())) {
            copy.delete();
        }
    }

    /** The source's data under StorageOS's key names, or null when a key is missing. */
    static Map<String, String> renamed(Map<String, String> source) {
        Map<String, String> data = new LinkedHashMap<>();
        for (Map.Entry<String, String> key : KEYS.entrySet()) {
            String value = source == null ? null : source.get(key.getKey());
            if (value == null) {
                return null;
            }
            data.put(key.getValue(), value);
        }
        return data;
    }

    /** ref: the Secret to reference (null: none); note: what the condition should add; missing: wait for the source. */
    record Outcome(EtcdClientTlsRef ref, String note, boolean missing) {
        Outcome(EtcdClientTlsRef ref, String note) {
            this(ref, note, false);
        }

        static Outcome missing(String note) {
            return new Outcome(null, note, true);
        }
    }
}
