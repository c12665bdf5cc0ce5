package com.storageos.etcd.reconciler.etcdcluster;

import com.storageos.etcd.api.v1alpha1.spec.EtcdClusterSpec;
import java.util.Optional;

/** What admission cannot reject but the operator cannot honour. Such a spec touches nothing. */
final class SpecCheck {
    private SpecCheck() {
    }

    static Optional<String> unsupported(EtcdClusterSpec spec) {
        if (spec.getTls() != null && (spec.getTls().getPeer() != null || spec.getTls().getClient() != null)) {
            return Optional.of("spec.tls is not supported by this operator version yet; remove it (the cluster would otherwise run without the TLS you asked for)");
        }
        return Optional.empty();
    }
}
