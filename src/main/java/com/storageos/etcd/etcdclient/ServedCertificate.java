package com.storageos.etcd.etcdclient;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509TrustManager;

/**
 * The certificate a member serves right now on one of its https ports, read in a TLS handshake. etcd loads its
 * certificate file on every handshake while the kubelet rewrites a Secret volume some time after the Secret
 * changed, so what the Secret holds says nothing about what a member serves: only a handshake does.
 */
public final class ServedCertificate {
    private ServedCertificate() {
    }

    /**
     * The leaf the server at {@code url} presents, or empty when it could not be reached. The client certificate is
     * presented as well (both ports ask for one); the handshake only reads, nothing is sent over it, so the
     * trust manager records the chain instead of judging it: the caller checks who signed it.
     */
    public static Optional<X509Certificate> at(String url, ClientTls tls, Duration timeout) {
        URI uri = URI.create(url);
        AtomicReference<X509Certificate> served = new AtomicReference<>();
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(JdkTls.keyManagers(tls), new X509TrustManager[] {new Recording(served)}, null);
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
                socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), (int) timeout.toMillis());
                socket.setSoTimeout((int) timeout.toMillis());
                socket.startHandshake();
            }
        } catch (IOException | GeneralSecurityException e) {
            // A refused client certificate ends the handshake after the server's certificate was read.
        }
        return Optional.ofNullable(served.get());
    }

    private record Recording(AtomicReference<X509Certificate> served) implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            throw new UnsupportedOperationException("a client only");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            served.set(chain[0]);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
