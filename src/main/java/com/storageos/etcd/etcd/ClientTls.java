package com.storageos.etcd.etcd;

import io.etcd.jetcd.ClientBuilder;
import io.grpc.ChannelCredentials;
import io.grpc.TlsChannelCredentials;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLException;

/**
 * The client side of etcd's mutual TLS: the CA bundle that signs the members' server certificates, and a
 * client certificate with its PKCS#8 key. The same material serves jetcd's pooled client and the
 * single-member gRPC channels, so every call the operator or a tool makes presents the same identity.
 */
public record ClientTls(String caPem, String certificatePem, String privateKeyPem) {

    public void configure(ClientBuilder builder) {
        try {
            builder.sslContext(ssl -> ssl.trustManager(stream(caPem)).keyManager(stream(certificatePem), stream(privateKeyPem)));
        } catch (SSLException e) {
            throw new IllegalArgumentException("unusable etcd client TLS material: " + e.getMessage(), e);
        }
    }

    ChannelCredentials channelCredentials() {
        try {
            return TlsChannelCredentials.newBuilder().trustManager(stream(caPem))
                    .keyManager(stream(certificatePem), stream(privateKeyPem)).build();
        } catch (IOException e) {
            throw new UncheckedIOException("unusable etcd client TLS material", e);
        }
    }

    private static InputStream stream(String pem) {
        return new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public String toString() {
        return "ClientTls[key withheld]";
    }
}
