package com.storageos.etcd.config;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Turns on leader election, so the Helm chart can run two operator replicas with one active.
 *
 * <p>Quarkus Operator SDK 7 has no "enabled" property for this: it uses a {@link LeaderElectionConfiguration}
 * bean when one exists, in the profiles listed by {@code quarkus.operator-sdk.activate-leader-election-for-profiles}
 * (build time, default {@code prod}). The Lease lives in the operator's namespace (env {@code POD_NAMESPACE}, set
 * by the chart from the downward API; otherwise the client's namespace). The chart grants get, create, update and patch (fabric8 renews with a PATCH)
 * on leases there.
 */
@ApplicationScoped
public class LeaderElection {

    /** Name of the Lease that the operator replicas compete for. */
    public static final String LEASE_NAME = "etcd-operator-leader";

    @Produces
    @Singleton
    LeaderElectionConfiguration leaderElectionConfiguration() {
        return new LeaderElectionConfiguration(LEASE_NAME, System.getenv("POD_NAMESPACE"));
    }
}
