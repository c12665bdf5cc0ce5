package com.storageos.etcd.etcdclient;

import java.util.Set;

/**
 * The client certificates of one connection. Ordinarily one, the cluster's own. While a cluster takes over an external
 * one (spec.bootstrap.join.tls), the external members accept only their own CA's clients and serve certificates of
 * that CA: every URL that is not one of the cluster's own gets the external cluster's certificate.
 *
 * @param own      the cluster's client certificate; null when its client port is plain
 * @param external the certificate the external cluster accepts; null when there is none (every URL gets {@code own})
 * @param ownUrls  the client URLs of the cluster's own members
 */
public record ClientCredentials(ClientTls own, ClientTls external, Set<String> ownUrls) {
    public ClientCredentials {
        ownUrls = Set.copyOf(ownUrls);
    }

    public static ClientCredentials of(ClientTls own) {
        return new ClientCredentials(own, null, Set.of());
    }

    /** The certificate for an https URL; null when there is none. */
    public ClientTls forUrl(String clientUrl) {
        return external == null || ownUrls.contains(clientUrl) ? own : external;
    }
}
