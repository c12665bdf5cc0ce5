package com.storageos.etcd.config;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Turns on leader election, so the Helm chart can run two operator replicas with one active.
 *
 * <p>Quarkus Operator SDK 7 has no "enabled" property for this: it uses a {@link LeaderElectionConfiguration}
 * bean when one exists, in the profiles listed by {@code quarkus.operator-sdk.activate-leader-election-for-profiles}
 * (build time, default {@code prod}). The Lease lives in the operator's namespace (env {@code POD_NAMESPACE}, set
 * by the chart from the downward API; otherwise the client's namespace), named by {@code etcd-operator.lease-name}
 * (the chart names it after its release, so that two releases in one namespace never share it). The chart grants get,
 * create, update and patch (fabric8 renews with a PATCH) on leases there.
 *
 * <p>A replica that loses its Lease must stop, or two would reconcile. JOSDK's own exit calls
 * {@code System.exit} from the elector, which on SIGTERM runs inside the shutdown hook and deadlocks
 * it: every pod deletion then waited for the kill after the grace period. So the exit is ours, and
 * only when the JVM is not already shutting down.
 *
 * <p>A leader that stops hands the Lease back. JOSDK builds fabric8's elector without {@code releaseOnCancel}, so
 * without this a stopped leader held the Lease for its whole duration, and every rolling upgrade of the operator left
 * the clusters unattended that long.
 */
@ApplicationScoped
public class LeaderElection {

    private static final Logger LOG = Logger.getLogger(LeaderElection.class);
    /** The pod name, as JOSDK would choose it; set here so that the shutdown can tell whether the Lease is ours. */
    private static final String IDENTITY = Optional.ofNullable(System.getenv("HOSTNAME")).filter(h -> !h.isBlank())
            .orElseGet(() -> UUID.randomUUID().toString());
    /** After Quarkus Operator SDK stops the operator, which observes the ShutdownEvent at the default priority (2500). */
    private static final int AFTER_OPERATOR_STOPPED = 2600;

    @Produces
    @Singleton
    LeaderElectionConfiguration leaderElectionConfiguration(OperatorConfig config) {
        return new LeaderElectionConfiguration(config.leaseName(), System.getenv("POD_NAMESPACE"),
                LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE, LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE, IDENTITY,
                new LeaderCallbacks(() -> { }, LeaderElection::exitUnlessShuttingDown, leader -> { }), false);
    }

    /** Clears the holder, as client-go and fabric8 release a Lease, so that a standby takes over at its next retry. */
    void releaseLease(@Observes @Priority(AFTER_OPERATOR_STOPPED) ShutdownEvent event, KubernetesClient operatorClient,
                      OperatorConfig config) {
        String namespace = Optional.ofNullable(System.getenv("POD_NAMESPACE")).orElseGet(operatorClient::getNamespace);
        // JOSDK closed the operator's client as it stopped: a new one, configured the same way.
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(operatorClient.getConfiguration()).build()) {
            Lease lease = client.leases().inNamespace(namespace).withName(config.leaseName()).get();
            if (lease == null || lease.getSpec() == null || !IDENTITY.equals(lease.getSpec().getHolderIdentity())) {
                return;
            }
            lease.getSpec().setHolderIdentity("");
            lease.getSpec().setLeaseDurationSeconds(1);
            // An update on the read resourceVersion: if a standby took the Lease meanwhile, this fails and changes nothing.
            client.resource(lease).update();
            LOG.info("Released the leader-election Lease");
        } catch (RuntimeException e) {
            LOG.warnf("Could not release the leader-election Lease; a standby takes over once it expires: %s", e.getMessage());
        }
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
