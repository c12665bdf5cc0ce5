package com.storageos.etcd.etcd;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;

/** Opens a {@link JetcdEtcdAdmin} per call; the caller closes it. */
@ApplicationScoped
public class JetcdEtcdAdminFactory implements EtcdAdminFactory {

    static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(5);

    private final Duration callTimeout;

    public JetcdEtcdAdminFactory() {
        this(DEFAULT_CALL_TIMEOUT);
    }

    public JetcdEtcdAdminFactory(Duration callTimeout) {
        this.callTimeout = callTimeout;
    }

    @Override
    public EtcdAdmin connect(List<String> clientUrls) {
        return new JetcdEtcdAdmin(clientUrls, callTimeout);
    }
}
