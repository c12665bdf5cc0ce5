package com.storageos.etcd.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a user's certificate Secret is told when it is wrong, one mistake at a time. */
class CertificateCheckTest {
    static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    static final CertificateAuthority CA = CertificateAuthority.create("ca", NOW, Duration.ofDays(365));
    static final String BUNDLE = CA.certificatePem();
    static final List<String> MEMBERS = List.of("etcd-0.etcd-peer.ns.svc.cluster.local", "etcd-2.etcd-peer.ns.svc.cluster.local");

    static IssuedCertificate member(List<String> dns, Duration validity) {
        return CA.issue(new CertificateRequest("etcd", dns, List.of("127.0.0.1"), true, true, validity), NOW, BUNDLE);
    }

    @Test
    void aWildcardOfThePeerServiceCoversEveryMemberAndAnIpSanCoversItsAddress() {
        IssuedCertificate cert = member(List.of("*.etcd-peer.ns.svc.cluster.local"), Duration.ofDays(30));
        List<String> hosts = List.of(MEMBERS.get(0), MEMBERS.get(1), "127.0.0.1");
        assertThat(CertificateCheck.problems(BUNDLE, cert.certificatePem(), cert.privateKeyPem(), hosts, true, true, NOW)).isEmpty();
    }

    @Test
    void eachMistakeIsNamed() {
        IssuedCertificate narrow = member(List.of(MEMBERS.get(0)), Duration.ofDays(30));
        assertThat(CertificateCheck.problems(BUNDLE, narrow.certificatePem(), narrow.privateKeyPem(), MEMBERS, true, true, NOW))
                .containsExactly("tls.crt does not cover etcd-2.etcd-peer.ns.svc.cluster.local");
        // a wildcard matches one label only
        IssuedCertificate tooShallow = member(List.of("*.ns.svc.cluster.local"), Duration.ofDays(30));
        assertThat(CertificateCheck.problems(BUNDLE, tooShallow.certificatePem(), tooShallow.privateKeyPem(), MEMBERS.subList(0, 1), true, true, NOW))
                .containsExactly("tls.crt does not cover etcd-0.etcd-peer.ns.svc.cluster.local");

        IssuedCertificate other = member(MEMBERS, Duration.ofDays(30));
        assertThat(CertificateCheck.problems(BUNDLE, narrow.certificatePem(), other.privateKeyPem(), List.of(), true, true, NOW))
                .containsExactly("tls.key is not the key of tls.crt");

        CertificateAuthority stranger = CertificateAuthority.create("someone-else", NOW, Duration.ofDays(365));
        assertThat(CertificateCheck.problems(stranger.certificatePem(), other.certificatePem(), other.privateKeyPem(), List.of(), true, true, NOW))
                .singleElement().asString().contains("is not signed by ca.crt");

        IssuedCertificate shortLived = member(MEMBERS, Duration.ofDays(1));
        assertThat(CertificateCheck.problems(BUNDLE, shortLived.certificatePem(), shortLived.privateKeyPem(), MEMBERS, true, true, NOW.plus(Duration.ofDays(2))))
                .singleElement().asString().startsWith("tls.crt expired at ");

        IssuedCertificate clientOnly = CA.issue(CertificateRequest.clientOnly("storageos", Duration.ofDays(1)), NOW, BUNDLE);
        assertThat(CertificateCheck.problems(BUNDLE, clientOnly.certificatePem(), clientOnly.privateKeyPem(), List.of(), true, true, NOW))
                .containsExactly("tls.crt is not for server authentication (extended key usage)");

        assertThat(CertificateCheck.problems(BUNDLE, "not a certificate", other.privateKeyPem(), List.of(), true, true, NOW))
                .singleElement().asString().startsWith("tls.crt: ");
    }

    @Test
    void aLeafNeverOutlivesItsCaAndARenewalIsDueAtTwoThirds() {
        CertificateAuthority shortCa = CertificateAuthority.create("short", NOW, Duration.ofDays(10));
        IssuedCertificate leaf = shortCa.issue(CertificateRequest.clientOnly("c", Duration.ofDays(90)), NOW, shortCa.certificatePem());
        assertThat(leaf.notAfter()).isEqualTo(shortCa.certificate().getNotAfter().toInstant());

        IssuedCertificate ninety = CA.issue(CertificateRequest.clientOnly("c", Duration.ofDays(90)), NOW, BUNDLE);
        var cert = Pem.certificates(ninety.certificatePem()).get(0);
        RenewalPolicy policy = RenewalPolicy.DEFAULT;
        assertThat(policy.due(cert, NOW.plus(Duration.ofDays(59)))).isFalse();
        assertThat(policy.due(cert, NOW.plus(Duration.ofDays(61)))).isTrue();
    }
}
