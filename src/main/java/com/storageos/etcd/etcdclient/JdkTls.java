package com.storageos.etcd.etcdclient;

import com.storageos.etcd.tls.Pem;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** A {@link ClientTls} for the JDK's own TLS (an HTTP GET of /metrics, a handshake), where gRPC's credentials do not reach. */
final class JdkTls {
    private static final char[] NO_PASSWORD = new char[0];

    private JdkTls() {
    }

    /** The client certificate and its key, presented when a port asks for one. */
    static KeyManager[] keyManagers(ClientTls tls) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("client", Pem.privateKeyOf(tls.privateKeyPem()), NO_PASSWORD,
                Pem.certificates(tls.certificatePem()).toArray(X509Certificate[]::new));
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, NO_PASSWORD);
        return factory.getKeyManagers();
    }

    /** Presents the client certificate and trusts only servers that the CA bundle signed. */
    static SSLContext verifying(ClientTls tls) throws GeneralSecurityException, IOException {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        int i = 0;
        for (X509Certificate ca : Pem.certificates(tls.caPem())) {
            trusted.setCertificateEntry("ca-" + i++, ca);
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers(tls), trust.getTrustManagers(), null);
        return context;
    }
}
