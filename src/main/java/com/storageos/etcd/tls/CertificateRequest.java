package com.storageos.etcd.tls;

import java.time.Duration;
import java.util.List;

/**
 * What a leaf certificate is for: its subject, the names a peer may check it against, and whether it
 * serves (serverAuth), connects (clientAuth) or both. Members use one certificate for both on the peer
 * port, since each member is a client of the others there.
 */
public record CertificateRequest(String commonName, List<String> dnsNames, List<String> ipAddresses,
                                 boolean server, boolean client, Duration validity) {
    public CertificateRequest {
        dnsNames = List.copyOf(dnsNames);
        ipAddresses = List.copyOf(ipAddresses);
    }

    public static CertificateRequest clientOnly(String commonName, Duration validity) {
        return new CertificateRequest(commonName, List.of(), List.of(), false, true, validity);
    }
}
