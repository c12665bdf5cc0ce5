package com.storageos.etcd.etcdclient;

import java.time.Duration;
import java.util.List;

/** Opens a {@link JetcdEtcdAdmin} per call; the caller closes it. */
public class JetcdEtcdAdminFactory implements EtcdAdminFactory {

    private final Duration callTimeout;

    /** @param callTimeout each call's deadline (in the operator {@code etcd-operator.etcd-call-timeout}; the tools set their own, longer) */
    public JetcdEtcdAdminFactory(Duration callTimeout) {
        this.callTimeout = callTimeout;
    }

    @Override
    public EtcdAdmin connect(List<String> clientUrls, ClientCredentials credentials) {
        return new JetcdEtcdAdmin(clientUrls, callTimeout, callTimeout.multipliedBy(JetcdEtcdAdmin.BULK_FACTOR), credentials);
    }
}
