package com.storageos.etcd.desired;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** A generated certificate's Secret, owned by its cluster so that it goes with it. */
public final class TlsSecret {
    public static final String CA_KEY_FILE = "ca.key";
    /** The CA a rotation brings in, beside the current one until it replaces it (see CaRotationPlanner). */
    public static final String NEXT_CA_FILE = "next-ca.crt";
    public static final String NEXT_CA_KEY_FILE = "next-ca.key";

    private TlsSecret() {
    }

    /** A leaf: {@code kubernetes.io/tls} with the CA bundle beside it. */
    public static Secret leaf(EtcdCluster cluster, String name, String caPem, String certificatePem, String keyPem) {
        return secret(cluster, name, "kubernetes.io/tls", Map.of(TlsLayout.CA_FILE, caPem, TlsLayout.CERT_FILE, certificatePem,
                TlsLayout.KEY_FILE, keyPem));
    }

    /** The cluster's CA with its signing key: read by the operator only, never mounted. */
    public static Secret authority(EtcdCluster cluster, String name, String caPem, String keyPem) {
        return secret(cluster, name, "Opaque", Map.of(TlsLayout.CA_FILE, caPem, CA_KEY_FILE, keyPem));
    }

    /** The CA Secret during a rotation: the current CA and the one that replaces it, each with its key. */
    public static Secret authority(EtcdCluster cluster, String name, String caPem, String keyPem, String nextPem, String nextKeyPem) {
        return secret(cluster, name, "Opaque", Map.of(TlsLayout.CA_FILE, caPem, CA_KEY_FILE, keyPem, NEXT_CA_FILE, nextPem,
                NEXT_CA_KEY_FILE, nextKeyPem));
    }

    /** A Secret's value as text, or null. */
    public static String text(Secret secret, String key) {
        String value = secret == null || secret.getData() == null ? null : secret.getData().get(key);
        return value == null ? null : new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
    }

    private static Secret secret(EtcdCluster cluster, String name, String type, Map<String, String> text) {
        Map<String, String> data = new LinkedHashMap<>();
        text.forEach((k, v) -> data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        return new SecretBuilder().withMetadata(ObjectMetas.owned(cluster, name, "tls")).withType(type).withData(data).build();
    }
}
