package com.storageos.etcd.reconciler.etcdcluster.certificates;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.desired.TlsLayout;
import com.storageos.etcd.desired.TlsSecret;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.tls.CaRotationPlanner.Phase;
import com.storageos.etcd.tls.CertificateAuthority;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The cluster's own CA Secret ({@code <cluster>-tls-ca}), as a rotation's phase wants it: the current CA alone, or
 * during Bundling and Reissuing the new one beside it, which Dropping promotes, deleting the old key. Each act
 * is idempotent, so that a stage that resumes after a restart finds the Secret as it left it or finishes it.
 */
final class OwnCaSecret {
    private static final DateTimeFormatter SUFFIX = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    private final KubernetesClient client;

    OwnCaSecret(KubernetesClient client) {
        this.client = client;
    }

    /** @param next the CA that replaces {@code current}; null outside a rotation or once promoted */
    record Authorities(CertificateAuthority current, CertificateAuthority next) { }

    Authorities ensure(EtcdCluster cluster, ClusterNames names, Phase phase, Instant now, Duration validity) {
        Secret existing = client.secrets().inNamespace(names.namespace()).withName(names.tlsCaSecret()).get();
        String cert = TlsSecret.text(existing, TlsLayout.CA_FILE);
        String key = TlsSecret.text(existing, TlsSecret.CA_KEY_FILE);
        if (cert == null || key == null) {
            CertificateAuthority ca = create(names, now, validity);
            client.secrets().inNamespace(names.namespace())
                    .resource(TlsSecret.authority(cluster, names.tlsCaSecret(), ca.certificatePem(), ca.privateKeyPem())).create();
            return new Authorities(ca, null);
        }
        CertificateAuthority current = CertificateAuthority.of(cert, key);
        String nextCert = TlsSecret.text(existing, TlsSecret.NEXT_CA_FILE);
        String nextKey = TlsSecret.text(existing, TlsSecret.NEXT_CA_KEY_FILE);
        CertificateAuthority next = nextCert != null && nextKey != null ? CertificateAuthority.of(nextCert, nextKey) : null;
        if (phase == Phase.Bundling && next == null) {
            next = create(names, now, validity);
            write(names, TlsSecret.authority(cluster, names.tlsCaSecret(), current.certificatePem(), current.privateKeyPem(),
                    next.certificatePem(), next.privateKeyPem()), existing);
        } else if (phase == Phase.Dropping && next != null) {
            // Every leaf comes from the new CA now: the old key has nothing left to sign.
            write(names, TlsSecret.authority(cluster, names.tlsCaSecret(), next.certificatePem(), next.privateKeyPem()), existing);
            return new Authorities(next, null);
        }
        return new Authorities(current, next);
    }

    private void write(ClusterNames names, Secret desired, Secret existing) {
        // On the read version: a second operator in a leader-election overlap that rotated meanwhile makes this a 409.
        desired.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
        client.secrets().inNamespace(names.namespace()).resource(desired).update();
    }

    /** Each CA gets its own name, so that a bundle of two is never two certificates of one subject. */
    private static CertificateAuthority create(ClusterNames names, Instant now, Duration validity) {
        return CertificateAuthority.create(names.namespace() + "/" + names.cluster() + " etcd CA " + SUFFIX.format(now), now, validity);
    }
}
