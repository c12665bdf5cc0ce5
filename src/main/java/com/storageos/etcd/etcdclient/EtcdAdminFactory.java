package com.storageos.etcd.etcdclient;

import java.util.List;

/** Opens an {@link EtcdAdmin} on a set of client endpoints (URLs with scheme). */
@FunctionalInterface
public interface EtcdAdminFactory {
    /** @param credentials the client certificate each https endpoint gets */
    EtcdAdmin connect(List<String> clientUrls, ClientCredentials credentials);

    /** @param tls the client certificate for https endpoints; null when they are plain http */
    default EtcdAdmin connect(List<String> clientUrls, ClientTls tls) {
        return connect(clientUrls, ClientCredentials.of(tls));
    }

    /** Plain http endpoints. */
    default EtcdAdmin connect(List<String> clientUrls) {
        return connect(clientUrls, (ClientTls) null);
    }
}
