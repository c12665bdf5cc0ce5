package com.storageos.etcd.desired;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.spec.CertManagerSpec;
import com.storageos.etcd.tls.CertificateRequest;
import com.storageos.etcd.tls.RenewalPolicy;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A cert-manager {@code Certificate} asking for what the operator's own CA would issue: the same names, usages
 * and lifetime, and a PKCS#8 ECDSA key, the one key encoding that etcd, netty and gRPC all read.
 */
public final class CertManagerCertificate {
    public static final String API_VERSION = "cert-manager.io/v1";
    public static final String KIND = "Certificate";

    private CertManagerCertificate() {
    }

    /** Named after the Secret it fills. */
    public static GenericKubernetesResource build(EtcdCluster cluster, String secretName, CertificateRequest request,
                                                  CertManagerSpec issuer, RenewalPolicy policy) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("secretName", secretName);
        spec.put("commonName", request.commonName());
        if (!request.dnsNames().isEmpty()) {
            spec.put("dnsNames", request.dnsNames());
        }
        if (!request.ipAddresses().isEmpty()) {
            spec.put("ipAddresses", request.ipAddresses());
        }
        List<String> usages = new ArrayList<>(List.of("digital signature", "key encipherment"));
        if (request.server()) {
            usages.add("server auth");
        }
        if (request.client()) {
            usages.add("client auth");
        }
        spec.put("usages", usages);
        long hours = request.validity().toHours();
        spec.put("duration", hours + "h");
        spec.put("renewBefore", Math.max(1, (long) (hours * (1 - policy.renewAt()))) + "h");
        spec.put("privateKey", Map.of("algorithm", "ECDSA", "size", 256, "encoding", "PKCS8", "rotationPolicy", "Always"));
        spec.put("issuerRef", Map.of("name", issuer.getIssuerName(), "kind", issuer.getIssuerKind(), "group", issuer.getIssuerGroup()));
        GenericKubernetesResource certificate = new GenericKubernetesResource();
        certificate.setApiVersion(API_VERSION);
        certificate.setKind(KIND);
        certificate.setMetadata(ObjectMetas.owned(cluster, secretName, "tls"));
        certificate.setAdditionalProperty("spec", spec);
        return certificate;
    }
}
