package com.storageos.etcd.tls;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.testing.IntermediateCa;
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

    /** tls.crt holds the leaf and its issuing CA, ca.crt the root only, as a company PKI or cert-manager hands them out. */
    @Test
    void aLeafChainedThroughAnIntermediateCaIsAcceptedAndAStrangersChainIsNot() {
        CertificateAuthority root = IntermediateCa.root("corp-root", NOW, null);
        CertificateAuthority issuing = IntermediateCa.below(root, "corp-issuing", NOW);
        IssuedCertificate leaf = issuing.issue(new CertificateRequest("etcd", MEMBERS, List.of(), true, true, Duration.ofDays(30)), NOW, root.certificatePem());
        String chain = leaf.certificatePem() + issuing.certificatePem();
        assertThat(CertificateCheck.problems(root.certificatePem(), chain, leaf.privateKeyPem(), MEMBERS, true, true, NOW)).isEmpty();
        assertThat(CertificateCheck.problems(root.certificatePem(), leaf.certificatePem() + root.certificatePem() + issuing.certificatePem(),
                leaf.privateKeyPem(), MEMBERS, true, true, NOW)).as("the root repeated in tls.crt, the chain out of order").isEmpty();
        assertThat(CertificateCheck.problems(root.certificatePem() + issuing.certificatePem(), leaf.certificatePem(), leaf.privateKeyPem(),
                MEMBERS, true, true, NOW)).as("the intermediate in ca.crt instead").isEmpty();

        assertThat(CertificateCheck.problems(root.certificatePem(), leaf.certificatePem(), leaf.privateKeyPem(), MEMBERS, true, true, NOW))
                .containsExactly("tls.crt (issuer CN=corp-issuing,O=Example Corp) is not signed by ca.crt; tls.crt holds no intermediate CA after the leaf");

        CertificateAuthority otherRoot = IntermediateCa.root("other-root", NOW, null);
        CertificateAuthority otherIssuing = IntermediateCa.below(otherRoot, "other-issuing", NOW);
        IssuedCertificate stranger = otherIssuing.issue(new CertificateRequest("etcd", MEMBERS, List.of(), true, true, Duration.ofDays(30)), NOW,
                otherRoot.certificatePem());
        assertThat(CertificateCheck.problems(root.certificatePem(), stranger.certificatePem() + otherIssuing.certificatePem(), stranger.privateKeyPem(),
                MEMBERS, true, true, NOW))
                .containsExactly("tls.crt (issuer CN=other-root,O=Example Corp) is not signed by ca.crt, nor through the intermediate CA(s) in tls.crt");

        // The same names, another key: an impostor's intermediate is refused on its signature, not its name.
        CertificateAuthority impostor = IntermediateCa.below(IntermediateCa.root("corp-root", NOW, null), "corp-issuing", NOW);
        IssuedCertificate forged = impostor.issue(new CertificateRequest("etcd", MEMBERS, List.of(), true, true, Duration.ofDays(30)), NOW, root.certificatePem());
        assertThat(CertificateCheck.problems(root.certificatePem(), forged.certificatePem() + impostor.certificatePem(), forged.privateKeyPem(),
                MEMBERS, true, true, NOW))
                .containsExactly("tls.crt (issuer CN=corp-root,O=Example Corp) is not signed by ca.crt, nor through the intermediate CA(s) in tls.crt");
        // An intermediate past its date is named.
        assertThat(CertificateCheck.problems(root.certificatePem(), chain, leaf.privateKeyPem(), MEMBERS, true, true, NOW.plus(Duration.ofDays(31))))
                .first().asString().startsWith("tls.crt's chain to ca.crt is refused at intermediate CN=corp-issuing,O=Example Corp: ");

        // A root that allows no CA below it (as this operator's own CA): etcd refuses the chain, so does the check.
        CertificateAuthority strictRoot = IntermediateCa.root("strict-root", NOW, 0);
        CertificateAuthority strictIssuing = IntermediateCa.below(strictRoot, "strict-issuing", NOW);
        IssuedCertificate strictLeaf = strictIssuing.issue(new CertificateRequest("etcd", MEMBERS, List.of(), true, true, Duration.ofDays(30)), NOW,
                strictRoot.certificatePem());
        assertThat(CertificateCheck.problems(strictRoot.certificatePem(), strictLeaf.certificatePem() + strictIssuing.certificatePem(),
                strictLeaf.privateKeyPem(), MEMBERS, true, true, NOW))
                .containsExactly("ca.crt's CN=strict-root,O=Example Corp allows 0 intermediate CA(s) below it (path length), tls.crt's chain has 1");
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
