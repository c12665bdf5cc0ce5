package com.storageos.etcd.reconciler.etcdcluster.certificates;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.spec.JoinTlsSpec;
import com.storageos.etcd.tls.CertificateAuthority;
import com.storageos.etcd.tls.CertificateRequest;
import com.storageos.etcd.tls.IssuedCertificate;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What spec.bootstrap.join.tls's Secret is told when it cannot be used, one mistake at a time. */
class JoinCertificateTest {
    static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    static final CertificateAuthority EXTERNAL_CA = CertificateAuthority.create("external-etcd-ca", NOW, Duration.ofDays(365));
    static final String CA = EXTERNAL_CA.certificatePem();
    static final IssuedCertificate CLIENT = EXTERNAL_CA.issue(CertificateRequest.clientOnly("etcd-operator", Duration.ofDays(30)), NOW, CA);
    static final String PREFIX = "spec.bootstrap.join.tls Secret external-client";

    static JoinTlsSpec spec() {
        JoinTlsSpec spec = new JoinTlsSpec();
        spec.setSecretName("external-client");
        return spec;
    }

    static Secret secret(Map<String, String> text) {
        Map<String, String> data = new LinkedHashMap<>();
        text.forEach((k, v) -> data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        return new SecretBuilder().withNewMetadata().withName("external-client").endMetadata().withData(data).build();
    }

    static List<String> problems(Secret secret, Instant at) {
        return JoinCertificate.check(spec(), secret, at).problems();
    }

    @Test
    void aClientCertificateOfTheExternalCaIsUsedAsGivenWithItsKeyAsPkcs8() throws Exception {
        // The external cluster's tooling often writes SEC1 or PKCS#1 keys (here openssl's); gRPC reads PKCS#8 only.
        Process openssl = new ProcessBuilder("openssl", "ec").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (var in = openssl.getOutputStream()) {
            in.write(CLIENT.privateKeyPem().getBytes(StandardCharsets.US_ASCII));
        }
        String sec1 = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertThat(openssl.waitFor()).isZero();
        assertThat(sec1).contains("BEGIN EC PRIVATE KEY");
        JoinCertificate.Outcome outcome = JoinCertificate.check(spec(),
                secret(Map.of("ca.crt", CA, "tls.crt", CLIENT.certificatePem(), "tls.key", sec1)), NOW);
        assertThat(outcome.problems()).isEmpty();
        assertThat(outcome.tls().caPem()).isEqualTo(CA);
        assertThat(outcome.tls().certificatePem()).isEqualTo(CLIENT.certificatePem());
        assertThat(outcome.tls().privateKeyPem()).contains("BEGIN PRIVATE KEY");
    }

    @Test
    void eachMistakeIsNamedAndNothingIsHandedOut() {
        assertThat(JoinCertificate.check(spec(), null, NOW).tls()).isNull();
        assertThat(problems(null, NOW)).containsExactly(PREFIX + " not found");
        assertThat(problems(secret(Map.of("tls.crt", CLIENT.certificatePem(), "tls.key", CLIENT.privateKeyPem())), NOW))
                .containsExactly(PREFIX + " needs ca.crt, tls.crt and tls.key");

        IssuedCertificate other = EXTERNAL_CA.issue(CertificateRequest.clientOnly("someone", Duration.ofDays(30)), NOW, CA);
        assertThat(problems(secret(Map.of("ca.crt", CA, "tls.crt", CLIENT.certificatePem(), "tls.key", other.privateKeyPem())), NOW))
                .containsExactly(PREFIX + ": tls.key is not the key of tls.crt");

        assertThat(problems(secret(Map.of("ca.crt", CA, "tls.crt", CLIENT.certificatePem(), "tls.key", CLIENT.privateKeyPem())),
                NOW.plus(Duration.ofDays(31)))).singleElement().asString().startsWith(PREFIX + ": tls.crt expired at ");

        CertificateAuthority ours = CertificateAuthority.create("this-clusters-ca", NOW, Duration.ofDays(365));
        assertThat(problems(secret(Map.of("ca.crt", ours.certificatePem(), "tls.crt", CLIENT.certificatePem(), "tls.key", CLIENT.privateKeyPem())),
                NOW)).singleElement().asString().contains("is not signed by ca.crt");

        IssuedCertificate serverOnly = EXTERNAL_CA.issue(new CertificateRequest("external-0", List.of("localhost"), List.of(), true, false,
                Duration.ofDays(30)), NOW, CA);
        assertThat(problems(secret(Map.of("ca.crt", CA, "tls.crt", serverOnly.certificatePem(), "tls.key", serverOnly.privateKeyPem())), NOW))
                .containsExactly(PREFIX + ": tls.crt is not for client authentication (extended key usage)");
    }
}
