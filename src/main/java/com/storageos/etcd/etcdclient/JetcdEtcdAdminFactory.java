package com.storageos.etcd.etcdclient;

import com.storageos.etcd.config.OperatorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;

/** Opens a {@link JetcdEtcdAdmin} per call; the caller closes it. */
@ApplicationScoped
public class JetcdEtcdAdminFactory implements EtcdAdminFactory {

    private final Duration callTimeout;

    /** In the operator: each call's deadline is {@code etcd-operator.etcd-call-timeout} (the tools set their own, longer). */
    @Inject
    public JetcdEtcdAdminFactory(OperatorConfig config) {
        this(config.etcdCallTimeout());
    }

    public JetcdEtcdAdminFactory(Duration callTimeout) {
        this.callTimeout = callTimeout;
    }

    @Override
    public EtcdAdmin connect(List<String> clientUrls, ClientCredentials credentials) {
        return new JetcdEtcdAdmin(clientUrls, callTimeout, callTimeout.multipliedBy(JetcdEtcdAdmin.BULK_FACTOR), credentials);
    }
}
