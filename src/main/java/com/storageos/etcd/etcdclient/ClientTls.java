package com.storageos.etcd.etcdclient;

import io.grpc.ChannelCredentials;
import io.grpc.TlsChannelCredentials;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The client side of etcd's mutual TLS: the CA bundle that signs the members' server certificates, and a
 * client certificate with its PKCS#8 key, presented on every gRPC channel the operator or a tool opens.
 */
public record ClientTls(String caPem, String certificatePem, String privateKeyPem) {

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
