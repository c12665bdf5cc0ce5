package com.storageos.etcd.tls;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;

/**
 * When a generated certificate is replaced: once {@code renewAt} of its lifetime has passed. Renewing at two
 * thirds leaves a third of the lifetime for a renewal that fails to be noticed and mended.
 */
public record RenewalPolicy(Duration leafValidity, Duration caValidity, double renewAt) {
    public static final RenewalPolicy DEFAULT = new RenewalPolicy(Duration.ofDays(90), Duration.ofDays(3650), 2.0 / 3);

    public RenewalPolicy {
        if (renewAt <= 0 || renewAt >= 1) {
            throw new IllegalArgumentException("renewAt is a fraction of the lifetime, between 0 and 1 exclusive: " + renewAt);
        }
    }

    public boolean due(X509Certificate cert, Instant now) {
        return !now.isBefore(renewalTime(cert));
    }

    public Instant renewalTime(X509Certificate cert) {
        Instant from = cert.getNotBefore().toInstant();
        long lifetime = Duration.between(from, cert.getNotAfter().toInstant()).toSeconds();
        return from.plusSeconds((long) (lifetime * renewAt));
    }
}
