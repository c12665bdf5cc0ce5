package com.storageos.etcd.tls;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Checks a certificate, its key and its CA bundle before etcd is given them, so that a wrong Secret is
 * reported in the status instead of as a member that will not start or a cluster nobody can reach.
 */
public final class CertificateCheck {
    private static final byte[] CHALLENGE = "etcd-operator key pair check".getBytes(StandardCharsets.US_ASCII);
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    private CertificateCheck() {
    }

    /**
     * Every problem found, as sentences; empty when the certificate may be used.
     *
     * @param hosts DNS names or IP addresses the certificate must be valid for (may be empty, as for a client)
     */
    public static List<String> problems(String caPem, String certificatePem, String privateKeyPem, List<String> hosts,
                                        boolean server, boolean client, Instant now) {
        List<String> problems = new ArrayList<>();
        List<X509Certificate> cas;
        List<X509Certificate> chain;
        PrivateKey key;
        try {
            cas = Pem.certificates(caPem);
        } catch (IllegalArgumentException e) {
            return List.of("ca.crt: " + e.getMessage());
        }
        try {
            chain = Pem.certificates(certificatePem);
        } catch (IllegalArgumentException e) {
            return List.of("tls.crt: " + e.getMessage());
        }
        try {
            key = Pem.privateKeyOf(privateKeyPem);
        } catch (IllegalArgumentException e) {
            return List.of("tls.key: " + e.getMessage());
        }
        X509Certificate cert = chain.get(0);
        if (!matches(cert, key)) {
            problems.add("tls.key is not the key of tls.crt");
        }
        CertificatePath.problem(cas, chain, now).ifPresent(problems::add);
        if (now.isAfter(cert.getNotAfter().toInstant())) {
            problems.add("tls.crt expired at " + cert.getNotAfter().toInstant());
        } else if (now.isBefore(cert.getNotBefore().toInstant())) {
            problems.add("tls.crt is not valid before " + cert.getNotBefore().toInstant());
        }
        List<String> missing = hosts.stream().filter(h -> !covers(cert, h)).toList();
        if (!missing.isEmpty()) {
            problems.add("tls.crt does not cover " + String.join(", ", missing));
        }
        if (server && !allows(cert, SERVER_AUTH)) {
            problems.add("tls.crt is not for server authentication (extended key usage)");
        }
        if (client && !allows(cert, CLIENT_AUTH)) {
            problems.add("tls.crt is not for client authentication (extended key usage)");
        }
        return problems;
    }

    static boolean matches(X509Certificate cert, PrivateKey key) {
        try {
            String algorithm = "EC".equals(key.getAlgorithm()) ? "SHA256withECDSA" : "SHA256with" + key.getAlgorithm();
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(CHALLENGE);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(cert.getPublicKey());
            verifier.update(CHALLENGE);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static boolean allows(X509Certificate cert, String purpose) {
        try {
            List<String> purposes = cert.getExtendedKeyUsage();
            return purposes == null || purposes.contains(purpose);
        } catch (CertificateParsingException e) {
            return false;
        }
    }

    /** An IP SAN for an address; a DNS SAN, or a one-label wildcard, for a name. */
    static boolean covers(X509Certificate cert, String host) {
        Collection<List<?>> sans;
        try {
            sans = cert.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return false;
        }
        if (sans == null) {
            return false;
        }
        boolean ip = host.chars().allMatch(ch -> Character.isDigit(ch) || ch == '.') || host.contains(":");
        for (List<?> san : sans) {
            int type = (Integer) san.get(0);
            String value = String.valueOf(san.get(1));
            if (ip && type == 7 && sameAddress(value, host)) {
                return true;
            }
            if (!ip && type == 2 && dnsMatches(value.toLowerCase(Locale.ROOT), host.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    private static boolean dnsMatches(String pattern, String host) {
        if (pattern.startsWith("*.")) {
            int dot = host.indexOf('.');
            return dot > 0 && host.substring(dot + 1).equals(pattern.substring(2));
        }
        return pattern.equals(host);
    }

    private static boolean sameAddress(String a, String b) {
        try {
            return InetAddress.getByName(a).equals(InetAddress.getByName(b));
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
