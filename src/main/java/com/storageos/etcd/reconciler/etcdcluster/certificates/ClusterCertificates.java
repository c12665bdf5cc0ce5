package com.storageos.etcd.reconciler.etcdcluster.certificates;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.spec.CertManagerSpec;
import com.storageos.etcd.api.v1alpha1.status.CaRotationStatus;
import com.storageos.etcd.api.v1alpha1.status.TlsStatus;
import com.storageos.etcd.desired.CertManagerCertificate;
import com.storageos.etcd.desired.TlsLayout;
import com.storageos.etcd.desired.TlsSecret;
import com.storageos.etcd.etcdclient.ClientTls;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.naming.MemberAddressing;
import com.storageos.etcd.tls.CaRotationPlanner;
import com.storageos.etcd.tls.CaRotationPlanner.Phase;
import com.storageos.etcd.tls.CertificateAuthority;
import com.storageos.etcd.tls.CertificateCheck;
import com.storageos.etcd.tls.CertificateRequest;
import com.storageos.etcd.tls.IssuedCertificate;
import com.storageos.etcd.tls.Pem;
import com.storageos.etcd.tls.RenewalPolicy;
import com.storageos.etcd.tls.TrustBundle;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Makes sure every certificate a cluster's TLS uses is present and usable before any pod mounts it. Generated
 * ones come from the cluster's own CA, renewed once {@link RenewalPolicy#renewAt} of their lifetime has passed,
 * or from cert-manager through Certificate objects (cert-manager renews them). The user's, and cert-manager's,
 * are checked (key pair, CA, expiry, names, key usage) and reported, never replaced.
 */
public final class ClusterCertificates {
    /** Named outright rather than discovered: cert-manager may be installed after the operator started. */
    private static final ResourceDefinitionContext CERTIFICATES = new ResourceDefinitionContext.Builder().withGroup("cert-manager.io")
            .withVersion("v1").withKind(CertManagerCertificate.KIND).withPlural("certificates").withNamespaced(true).build();
    private final KubernetesClient client;
    private final MemberAddressing addressing;
    private final RenewalPolicy policy;
    private final Clock clock;
    private final OwnCaSecret caSecret;

    public ClusterCertificates(KubernetesClient client, MemberAddressing addressing, RenewalPolicy policy, Clock clock) {
        this.client = client;
        this.addressing = addressing;
        this.policy = policy;
        this.clock = clock;
        this.caSecret = new OwnCaSecret(client);
    }

    /**
     * @param operatorTls what the operator presents to the client port; null when it is plain
     * @param problems    why the certificates cannot be used yet, as sentences; empty when they can
     * @param status      the usable certificates and their expiry; null when the cluster has no TLS
     * @param trustBundleHash the {@link TrustBundle#hash} of the CAs the members trust; null without TLS or until usable
     * @param authorities     the cluster's own CAs when every certificate comes from them (only then can it rotate them); else null
     */
    public record Outcome(ClientTls operatorTls, List<String> problems, TlsStatus status, String trustBundleHash, OwnCaSecret.Authorities authorities) {
        public boolean usable() {
            return problems.isEmpty();
        }
    }

    /** @param rotation the CA rotation as recorded: its phase says which CA signs and which ones every trust file holds */
    public Outcome ensure(EtcdCluster cluster, CaRotationStatus rotation) {
        TlsLayout layout = TlsLayout.of(cluster);
        if (!layout.peer() && !layout.client()) {
            return new Outcome(null, List.of(), null, null, null);
        }
        ClusterNames names = new ClusterNames(cluster.getMetadata().getName(), cluster.getMetadata().getNamespace());
        Instant now = clock.instant();
        CertManagerSpec certManager = cluster.getSpec().getTls().getCertManager();
        Issuer ca = null;
        if (layout.peerGenerated() || layout.clientGenerated()) {
            ca = certManager != null ? new CertManager(certManager) : ownCa(cluster, names, rotation, now);
        }
        List<String> problems = new ArrayList<>();
        CertificateExpiries expiries = new CertificateExpiries(ca instanceof OwnCa ? names.tlsCaSecret() : null, policy);
        List<String> generatedHosts = addressing.certificateHosts(names);
        List<String> requiredHosts = requiredHosts(cluster, names);
        Secret peer = null;
        if (layout.peer()) {
            CertificateRequest member = new CertificateRequest(names.cluster() + "-peer", dns(generatedHosts), ips(generatedHosts),
                    true, true, policy.leafValidity());
            peer = ensure(cluster, layout.peerSecret(), layout.peerGenerated() ? ca : null, member, requiredHosts, now, problems);
            expiries.add("peer", layout.peerSecret(), peer, layout.peerGenerated() && ca instanceof OwnCa);
        }
        Secret server = null;
        Secret clientCert = null;
        if (layout.client()) {
            CertificateRequest member = new CertificateRequest(names.cluster() + "-server", dns(generatedHosts), ips(generatedHosts),
                    true, false, policy.leafValidity());
            server = ensure(cluster, layout.serverSecret(), layout.clientGenerated() ? ca : null, member, requiredHosts, now, problems);
            clientCert = ensure(cluster, layout.clientSecret(), layout.clientGenerated() ? ca : null,
                    CertificateRequest.clientOnly(names.cluster() + "-client", policy.leafValidity()), List.of(), now, problems);
            expiries.add("server", layout.serverSecret(), server, layout.clientGenerated() && ca instanceof OwnCa);
            expiries.add("client", layout.clientSecret(), clientCert, layout.clientGenerated() && ca instanceof OwnCa);
        }
        TlsStatus status = expiries.status();
        status.setCaRotation(rotation);
        // Only a cluster whose every certificate is the operator's can have its CA replaced by the operator.
        OwnCaSecret.Authorities own = ca instanceof OwnCa o && layout.peer() == layout.peerGenerated()
                && layout.client() == layout.clientGenerated() ? o.authorities() : null;
        if (!problems.isEmpty()) {
            return new Outcome(null, problems, status, null, own);
        }
        String trust = TrustBundle.hash(Stream.of(peer, server).filter(Objects::nonNull).map(s -> TlsSecret.text(s, TlsLayout.CA_FILE)).toList());
        if (!layout.client()) {
            return new Outcome(null, problems, status, trust, own);
        }
        // Trust what signs the servers; present the client certificate.
        return new Outcome(new ClientTls(TlsSecret.text(server, TlsLayout.CA_FILE), TlsSecret.text(clientCert, TlsLayout.CERT_FILE),
                TlsSecret.text(clientCert, TlsLayout.KEY_FILE)), problems, status, trust, own);
    }

    private OwnCa ownCa(EtcdCluster cluster, ClusterNames names, CaRotationStatus rotation, Instant now) {
        Phase phase = CaRotations.phase(rotation);
        OwnCaSecret.Authorities authorities = caSecret.ensure(cluster, names, phase, now, policy.caValidity());
        String trust = CaRotationPlanner.trusted(phase, authorities.current(), authorities.next()).stream()
                .map(CertificateAuthority::certificatePem).map(String::trim).collect(Collectors.joining("\n", "", "\n"));
        return new OwnCa(CaRotationPlanner.signer(phase, authorities.current(), authorities.next()), trust, authorities);
    }

    /** Who fills a Secret that is not the user's. */
    private sealed interface Issuer permits OwnCa, CertManager { }

    /** @param trust what every trust file holds: the signer, and during a rotation the other CA beside it */
    private record OwnCa(CertificateAuthority signer, String trust, OwnCaSecret.Authorities authorities) implements Issuer { }

    private record CertManager(CertManagerSpec spec) implements Issuer { }

    /** The Secret as it is to be used, or null with a problem added. {@code issuer} null: the user's Secret, checked only. */
    private Secret ensure(EtcdCluster cluster, String name, Issuer issuer, CertificateRequest request,
                          List<String> hosts, Instant now, List<String> problems) {
        String namespace = cluster.getMetadata().getNamespace();
        if (issuer instanceof CertManager certManager) {
            String refused = requestCertificate(cluster, name, request, certManager.spec());
            if (refused != null) {
                problems.add(refused);
                return null;
            }
        }
        Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
        if (!(issuer instanceof OwnCa own)) {
            String whose = issuer == null ? "Secret " + name : "Secret " + name + " (from cert-manager Certificate " + name + ")";
            if (secret == null) {
                problems.add(issuer == null ? whose + " not found" : "waiting for cert-manager to issue Secret " + name + " (Certificate " + name + ")");
                return null;
            }
            List<String> found = check(secret, hosts, request, now);
            found.forEach(p -> problems.add(whose + ": " + p));
            return found.isEmpty() ? secret : null;
        }
        CertificateAuthority ca = own.signer();
        Secret fresh;
        if (secret != null && check(secret, hosts, request, now).isEmpty() && !renewalDue(secret, now)
                && ca.signed(Pem.certificates(TlsSecret.text(secret, TlsLayout.CERT_FILE)).get(0))) {
            if (sameCertificates(TlsSecret.text(secret, TlsLayout.CA_FILE), own.trust())) {
                return secret;
            }
            // Only the trusted CAs change (a rotation's bundle or drop): the leaf and its key stay.
            fresh = TlsSecret.leaf(cluster, name, own.trust(), TlsSecret.text(secret, TlsLayout.CERT_FILE), TlsSecret.text(secret, TlsLayout.KEY_FILE));
        } else {
            IssuedCertificate issued = ca.issue(request, now, own.trust());
            fresh = TlsSecret.leaf(cluster, name, issued.caPem(), issued.certificatePem(), issued.privateKeyPem());
        }
        return client.secrets().inNamespace(namespace).resource(fresh).createOr(NonDeletingOperation::update);
    }

    /** Creates or corrects the Certificate; null when done, else why not. Unchanged, it is not written. */
    private String requestCertificate(EtcdCluster cluster, String name, CertificateRequest request, CertManagerSpec issuer) {
        GenericKubernetesResource desired = CertManagerCertificate.build(cluster, name, request, issuer, policy);
        var certificates = client.genericKubernetesResources(CERTIFICATES).inNamespace(cluster.getMetadata().getNamespace());
        try {
            GenericKubernetesResource current = certificates.withName(name).get();
            if (current == null) {
                certificates.resource(desired).create();
            } else if (!Objects.equals(current.getAdditionalProperties().get("spec"), desired.getAdditionalProperties().get("spec"))) {
                current.setAdditionalProperty("spec", desired.getAdditionalProperties().get("spec"));
                certificates.resource(current).update();
            }
            return null;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return "cert-manager is not installed: the API server has no " + CertManagerCertificate.KIND + " resource in "
                        + CertManagerCertificate.API_VERSION;
            }
            return "could not write cert-manager Certificate " + name + ": " + e.getMessage();
        }
    }

    private static List<String> check(Secret secret, List<String> hosts, CertificateRequest request, Instant now) {
        String ca = TlsSecret.text(secret, TlsLayout.CA_FILE);
        String cert = TlsSecret.text(secret, TlsLayout.CERT_FILE);
        String key = TlsSecret.text(secret, TlsLayout.KEY_FILE);
        if (ca == null || cert == null || key == null) {
            return List.of("needs ca.crt, tls.crt and tls.key");
        }
        return CertificateCheck.problems(ca, cert, key, hosts, request.server(), request.client(), now);
    }

    private static boolean sameCertificates(String pem, String otherPem) {
        return TrustBundle.hash(List.of(pem)).equals(TrustBundle.hash(List.of(otherPem)));
    }

    private boolean renewalDue(Secret secret, Instant now) {
        return policy.due(Pem.certificates(TlsSecret.text(secret, TlsLayout.CERT_FILE)).get(0), now);
    }

    /** A user's member certificate must name every member spec.replicas asks for, and the client Service. */
    private List<String> requiredHosts(EtcdCluster cluster, ClusterNames names) {
        String service = addressing.clientServiceAddress(names);
        return Stream.concat(IntStream.range(0, cluster.getSpec().getReplicas()).mapToObj(i -> addressing.memberHost(names, i)),
                Stream.of(service.substring(0, service.lastIndexOf(':')))).distinct().toList();
    }

    private static boolean isIp(String host) {
        return host.chars().allMatch(ch -> Character.isDigit(ch) || ch == '.');
    }

    private static List<String> dns(List<String> hosts) {
        return hosts.stream().filter(h -> !isIp(h)).toList();
    }

    private static List<String> ips(List<String> hosts) {
        return hosts.stream().filter(ClusterCertificates::isIp).toList();
    }
}
