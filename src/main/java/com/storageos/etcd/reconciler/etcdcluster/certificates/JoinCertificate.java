package com.storageos.etcd.reconciler.etcdcluster.certificates;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.spec.JoinTlsSpec;
import com.storageos.etcd.desired.TlsLayout;
import com.storageos.etcd.desired.TlsSecret;
import com.storageos.etcd.etcdclient.ClientTls;
import com.storageos.etcd.membership.MigrationInput;
import com.storageos.etcd.tls.CertificateCheck;
import com.storageos.etcd.tls.Pem;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The client certificate of spec.bootstrap.join.tls, checked as the cluster's own TLS Secrets are (keys present, key
 * pair, signed by a CA of ca.crt, validity, client authentication) before any call to the external cluster uses it.
 */
public final class JoinCertificate {
    /** @param tls the certificate to present, or null with the problems that stop its use */
    public record Outcome(ClientTls tls, List<String> problems) {
        public boolean usable() {
            return problems.isEmpty();
        }
    }

    private JoinCertificate() {
    }

    /** spec.bootstrap.join.tls, checked, while the external members are part of the cluster; usable with no certificate otherwise. */
    public static Outcome read(KubernetesClient client, EtcdCluster cluster, Optional<MigrationInput> migration, Instant now) {
        Optional<JoinTlsSpec> spec = migration.filter(m -> !m.completed()).map(m -> cluster.getSpec().getBootstrap().getJoin().getTls());
        return spec.map(s -> check(s, client.secrets().inNamespace(cluster.getMetadata().getNamespace()).withName(s.getSecretName()).get(), now))
                .orElse(new Outcome(null, List.of()));
    }

    /** @param secret the Secret the spec names, null when it does not exist */
    public static Outcome check(JoinTlsSpec spec, Secret secret, Instant now) {
        String whose = "spec.bootstrap.join.tls Secret " + spec.getSecretName();
        if (secret == null) {
            return new Outcome(null, List.of(whose + " not found"));
        }
        String ca = TlsSecret.text(secret, TlsLayout.CA_FILE);
        String cert = TlsSecret.text(secret, TlsLayout.CERT_FILE);
        String key = TlsSecret.text(secret, TlsLayout.KEY_FILE);
        if (ca == null || cert == null || key == null) {
            return new Outcome(null, List.of(whose + " needs ca.crt, tls.crt and tls.key"));
        }
        List<String> problems = CertificateCheck.problems(ca, cert, key, List.of(), false, true, now).stream()
                .map(p -> whose + ": " + p).toList();
        // gRPC reads PKCS#8 only; an external cluster's key is often PKCS#1 or SEC1 (openssl, cfssl).
        return problems.isEmpty() ? new Outcome(new ClientTls(ca, cert, Pem.privateKey(Pem.privateKeyOf(key))), List.of())
                : new Outcome(null, problems);
    }
}
