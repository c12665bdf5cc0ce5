package com.storageos.etcd.tls;

import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXCertPathValidatorResult;
import java.security.cert.PKIXParameters;
import java.security.cert.PKIXReason;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Whether tls.crt leads to a CA in ca.crt, directly or through the intermediate CAs that follow the leaf in tls.crt,
 * judged by PKIX path validation as etcd (Go's crypto/x509) judges it: every certificate in ca.crt is a trust anchor,
 * the intermediates are taken in any order, and revocation is not checked (etcd checks none unless given a CRL file).
 */
final class CertificatePath {
    private CertificatePath() {
    }

    /** Why the chain is refused, as a sentence; empty when it is valid at {@code now}. */
    static Optional<String> problem(List<X509Certificate> cas, List<X509Certificate> chain, Instant now) {
        List<X509Certificate> path = ordered(chain, cas);
        try {
            Set<TrustAnchor> anchors = cas.stream().map(ca -> new TrustAnchor(ca, null)).collect(Collectors.toSet());
            PKIXParameters parameters = new PKIXParameters(anchors);
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(now));
            PKIXCertPathValidatorResult result = (PKIXCertPathValidatorResult) CertPathValidator.getInstance("PKIX")
                    .validate(CertificateFactory.getInstance("X.509").generateCertPath(path), parameters);
            // Java leaves the anchor's own path length unchecked; Go refuses a chain longer than the root allows.
            X509Certificate root = result.getTrustAnchor().getTrustedCert();
            int below = path.size() - 1;
            if (root.getBasicConstraints() >= 0 && below > root.getBasicConstraints()) {
                return Optional.of("ca.crt's " + root.getSubjectX500Principal().getName() + " allows " + root.getBasicConstraints()
                        + " intermediate CA(s) below it (path length), tls.crt's chain has " + below);
            }
            return Optional.empty();
        } catch (CertPathValidatorException e) {
            return refusal(e, path);
        } catch (GeneralSecurityException e) {
            return Optional.of("tls.crt's chain could not be checked: " + e.getMessage());
        }
    }

    private static Optional<String> refusal(CertPathValidatorException e, List<X509Certificate> path) {
        X509Certificate last = path.get(path.size() - 1);
        if (e.getReason() == PKIXReason.NO_TRUST_ANCHOR) {
            String through = path.size() > 1 ? ", nor through the intermediate CA(s) in tls.crt" : "; tls.crt holds no intermediate CA after the leaf";
            return Optional.of("tls.crt (issuer " + last.getIssuerX500Principal().getName() + ") is not signed by ca.crt" + through);
        }
        boolean leafDates = e.getIndex() == 0 && (e.getReason() == CertPathValidatorException.BasicReason.EXPIRED
                || e.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID);
        if (leafDates) {
            return Optional.empty(); // the leaf's own dates are reported on their own
        }
        String which = e.getIndex() <= 0 ? "" : " at intermediate " + path.get(e.getIndex()).getSubjectX500Principal().getName();
        return Optional.of("tls.crt's chain to ca.crt is refused" + which + ": " + e.getMessage());
    }

    /** The leaf, then each issuer found among the rest of tls.crt, up to one that ca.crt holds or none is found. */
    private static List<X509Certificate> ordered(List<X509Certificate> chain, List<X509Certificate> cas) {
        List<X509Certificate> rest = new ArrayList<>(chain.subList(1, chain.size()));
        rest.removeAll(cas); // a root repeated in tls.crt is the anchor, not an intermediate
        List<X509Certificate> path = new ArrayList<>(List.of(chain.get(0)));
        while (true) {
            X509Certificate current = path.get(path.size() - 1);
            Optional<X509Certificate> issuer = rest.stream()
                    .filter(c -> c.getSubjectX500Principal().equals(current.getIssuerX500Principal())).findFirst();
            if (issuer.isEmpty()) {
                return path;
            }
            rest.remove(issuer.get());
            path.add(issuer.get());
        }
    }
}
