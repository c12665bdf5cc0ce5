package com.storageos.etcd.etcdclient;

import java.util.List;

/** Opens an {@link EtcdAdmin} on a set of client endpoints (URLs with scheme). */
@FunctionalInterface
public interface EtcdAdminFactory {
    /** @param tls the client certificate for https endpoints; null when they are plain http */
    EtcdAdmin connect(List<String> clientUrls, ClientTls tls);

    /** Plain http endpoints. */
    default EtcdAdmin connect(List<String> clientUrls) {
        return connect(clientUrls, null);
    }
}
