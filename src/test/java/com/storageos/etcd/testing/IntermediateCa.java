package com.storageos.etcd.testing;

import com.storageos.etcd.tls.CertificateAuthority;
import com.storageos.etcd.tls.Pem;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A company's PKI as users bring it: a root CA that may sign CAs, and an issuing CA below it whose leaves go in
 * tls.crt followed by the issuing CA's own certificate (what cert-manager and most CAs hand out), with only the
 * root in ca.crt. The operator's own CA never signs a CA, so tests build these here.
 */
public final class IntermediateCa {
    private IntermediateCa() {
    }

    /** A self-signed root; {@code pathLength} null puts no limit on the CAs below it. */
    public static CertificateAuthority root(String commonName, Instant now, Integer pathLength) {
        KeyPair pair = keyPair();
        X500Name subject = new X500Name("O=Example Corp,CN=" + commonName);
        return new CertificateAuthority(sign(subject, subject, pair, pair.getPrivate(), null, now, pathLength), pair.getPrivate());
    }

    /** A CA signed by {@code parent}, which may sign leaves only. */
    public static CertificateAuthority below(CertificateAuthority parent, String commonName, Instant now) {
        KeyPair pair = keyPair();
        X509Certificate issuer = parent.certificate();
        X509Certificate cert = sign(X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded()),
                new X500Name("O=Example Corp,CN=" + commonName), pair, Pem.privateKeyOf(parent.privateKeyPem()), issuer, now, 0);
        return new CertificateAuthority(cert, pair.getPrivate());
    }

    private static X509Certificate sign(X500Name issuer, X500Name subject, KeyPair pair, PrivateKey signer, X509Certificate issuerCert,
                                        Instant now, Integer pathLength) {
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(now.toEpochMilli() ^ System.nanoTime()).abs(),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(30))), subject, pair.getPublic())
                    .addExtension(Extension.basicConstraints, true, pathLength == null ? new BasicConstraints(true) : new BasicConstraints(pathLength))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
            if (issuerCert != null) {
                builder.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(issuerCert));
            }
            return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
        } catch (Exception e) {
            throw new IllegalStateException("could not sign a CA certificate for " + subject, e);
        }
    }

    private static KeyPair keyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
