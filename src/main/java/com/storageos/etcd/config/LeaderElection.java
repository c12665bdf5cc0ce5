package com.storageos.etcd.config;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * Turns on leader election, so the Helm chart can run two operator replicas with one active.
 *
 * <p>Quarkus Operator SDK 7 has no "enabled" property for this: it uses a {@link LeaderElectionConfiguration}
 * bean when one exists, in the profiles listed by {@code quarkus.operator-sdk.activate-leader-election-for-profiles}
 * (build time, default {@code prod}). The Lease lives in the operator's namespace (env {@code POD_NAMESPACE}, set
 * by the chart from the downward API; otherwise the client's namespace). The chart grants get, create, update and
 * patch (fabric8 renews with a PATCH) on leases there.
 *
 * <p>A replica that loses its Lease must stop, or two would reconcile. JOSDK's own exit calls
 * {@code System.exit} from the elector, which on SIGTERM runs inside the shutdown hook and deadlocks
 * it: every pod deletion then waited for the kill after the grace period. So the exit is ours, and
 * only when the JVM is not already shutting down.
 */
@ApplicationScoped
public class LeaderElection {

    /** Name of the Lease that the operator replicas compete for. */
    public static final String LEASE_NAME = "etcd-operator-leader";
    private static final Logger LOG = Logger.getLogger(LeaderElection.class);

    @Produces
    @Singleton
    LeaderElectionConfiguration leaderElectionConfiguration() {
        return new LeaderElectionConfiguration(LEASE_NAME, System.getenv("POD_NAMESPACE"),
                LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE, LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE, null,
                new LeaderCallbacks(() -> { }, LeaderElection::exitUnlessShuttingDown, leader -> { }), false);
    }

    private static void exitUnlessShuttingDown() {
        if (shuttingDown()) {
            return;
        }
        LOG.error("Lost the leader-election Lease; exiting so that only the new leader reconciles");
        // Not on the elector's thread: System.exit waits for the shutdown hooks, which stop the elector.
        new Thread(() -> System.exit(1), "lost-lease-exit").start();
    }

    /** The JVM refuses new shutdown hooks once it has begun to shut down. */
    private static boolean shuttingDown() {
        try {
            Thread probe = new Thread(() -> { });
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }
}
