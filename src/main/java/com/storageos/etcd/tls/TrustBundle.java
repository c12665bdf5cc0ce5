package com.storageos.etcd.tls;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The CAs a member trusts, as one digest. etcd reads its trusted-ca-file only at start (measured on 3.4.23),
 * so a change of the CAs in a member's ca.crt, a CA being added to the bundle or dropped from it, takes
 * effect only through a restart; the digest in the pod template makes such a change roll the members one
 * at a time like any other template change. A renewed leaf changes nothing here: etcd reloads those.
 */
public final class TrustBundle {
    private TrustBundle() {
    }

    /** Over the distinct certificates of every bundle, in a fixed order: re-encoding or reordering a PEM file rolls nothing. */
    public static String hash(List<String> caPems) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            caPems.stream().filter(Objects::nonNull).flatMap(pem -> Pem.certificates(pem).stream()).map(TrustBundle::der)
                    .distinct().sorted().forEach(hex -> digest.update(hex.getBytes(StandardCharsets.US_ASCII)));
            return HexFormat.of().formatHex(digest.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256", e);
        }
    }

    private static String der(X509Certificate cert) {
        try {
            return HexFormat.of().formatHex(cert.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("a parsed certificate re-encodes", e);
        }
    }
}
