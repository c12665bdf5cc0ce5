package com.storageos.etcd.testing;

import com.storageos.etcd.etcdclient.ClientTls;
import io.etcd.jetcd.ClientBuilder;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLException;

/** A test's own jetcd client (a writer, a reader) with a cluster's client certificate; the operator uses none. */
public final class JetcdTls {
    private JetcdTls() {
    }

    public static ClientBuilder configure(ClientBuilder builder, ClientTls tls) {
        try {
            return builder.sslContext(ssl -> ssl.trustManager(stream(tls.caPem()))
                    .keyManager(stream(tls.certificatePem()), stream(tls.privateKeyPem())));
        } catch (SSLException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static ByteArrayInputStream stream(String pem) {
        return new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII));
    }
}
