package com.storageos.etcd.reconciler.etcdcluster.certificates;

import com.storageos.etcd.api.v1alpha1.status.CertificateStatus;
import com.storageos.etcd.api.v1alpha1.status.TlsStatus;
import com.storageos.etcd.desired.TlsLayout;
import com.storageos.etcd.desired.TlsSecret;
import com.storageos.etcd.tls.Pem;
import com.storageos.etcd.tls.RenewalPolicy;
import io.fabric8.kubernetes.api.model.Secret;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects the expiry of each usable certificate, and of the earliest-expiring CA the members trust, for the status. */
final class CertificateExpiries {
    private final String ownCaSecret;
    private final RenewalPolicy policy;
    private final List<CertificateStatus> leaves = new ArrayList<>();
    private CertificateStatus ca;

    CertificateExpiries(String ownCaSecret, RenewalPolicy policy) {
        this.ownCaSecret = ownCaSecret;
        this.policy = policy;
    }

    void add(String name, String secretName, Secret secret, boolean renewedHere) {
        if (secret == null) {
            return;
        }
        X509Certificate cert = Pem.certificates(TlsSecret.text(secret, TlsLayout.CERT_FILE)).get(0);
        leaves.add(new CertificateStatus(name, secretName, cert.getNotAfter().toInstant().toString(),
                renewedHere ? policy.renewalTime(cert).toString() : null));
        // The client certificate's ca.crt is what StorageOS trusts, not what the members trust.
        if (!"client".equals(name)) {
            X509Certificate earliest = Pem.certificates(TlsSecret.text(secret, TlsLayout.CA_FILE)).stream()
                    .min(Comparator.comparing(c -> c.getNotAfter().toInstant())).orElseThrow();
            Instant notAfter = earliest.getNotAfter().toInstant();
            if (ca == null || notAfter.isBefore(Instant.parse(ca.getNotAfter()))) {
                // The operator's own CA is replaced at its renewAfter (see CaRotationPlanner).
                ca = new CertificateStatus("ca", ownCaSecret != null ? ownCaSecret : secretName, notAfter.toString(),
                        ownCaSecret != null ? policy.renewalTime(earliest).toString() : null);
            }
        }
    }

    TlsStatus status() {
        List<CertificateStatus> all = new ArrayList<>();
        if (ca != null) {
            all.add(ca);
        }
        all.addAll(leaves);
        return new TlsStatus(all);
    }
}
