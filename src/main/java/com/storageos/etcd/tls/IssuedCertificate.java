package com.storageos.etcd.tls;

import java.time.Instant;

/** A leaf certificate and its key, as PEM, with the CA bundle that verifies it. */
public record IssuedCertificate(String certificatePem, String privateKeyPem, String caPem, Instant notBefore, Instant notAfter) {
}
