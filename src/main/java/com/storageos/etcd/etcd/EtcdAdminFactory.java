package com.storageos.etcd.etcd;

import java.util.List;

/** Opens an {@link EtcdAdmin} on a set of client endpoints (URLs with scheme). */
@FunctionalInterface
public interface EtcdAdminFactory {
    EtcdAdmin connect(List<String> clientUrls);
}
