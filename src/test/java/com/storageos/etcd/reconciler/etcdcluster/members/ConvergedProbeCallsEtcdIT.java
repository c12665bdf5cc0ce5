package com.storageos.etcd.reconciler.etcdcluster.members;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.storageos.etcd.etcdclient.JetcdEtcdAdminFactory;
import com.storageos.etcd.membership.ObservedMember;
import com.storageos.etcd.testing.EtcdTestCluster;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What the probe of every reconcile asks of a converged 3-member cluster of real etcd: each member's status, its own
 * member list (the first list answered counts for the member that gave it) and a linearizable read; etcd's cluster
 * version again only after a leader change or when the last read is {@link ClusterVersionReads#MAX_AGE} old.
 */
class ConvergedProbeCallsEtcdIT {
    static final int PROBES = 5;
    final JetcdEtcdAdminFactory admins = new JetcdEtcdAdminFactory(Duration.ofSeconds(5));
    final MovableClock clock = new MovableClock();
    final EtcdMemberProbe probe = new EtcdMemberProbe(clock);

    @Test
    void aConvergedReconcileAsksEachMemberForItsListOnceAndTheClusterVersionOnlyWhenEtcdSaysItMayHaveMoved() {
        try (EtcdTestCluster etcd = EtcdTestCluster.start(3); CountingEtcdAdmin admin = new CountingEtcdAdmin(admins.connect(etcd.clientUrls()))) {
            await().atMost(Duration.ofSeconds(20)).until(() -> probe(admin).clusterVersion().equals("3.5.0"));
            admin.reset();
            for (int i = 0; i < PROBES; i++) {
                EtcdMemberProbe.Probed probed = probe(admin);
                assertThat(probed.members()).hasSize(3).allMatch(ObservedMember::healthy);
                assertThat(probed.disagreement()).isEmpty();
                assertThat(probed.clusterVersion()).isEqualTo("3.5.0");
                assertThat(probed.clusterId()).isNotZero();
            }
            assertThat(admin.calls()).as("etcd calls of %d probes of a converged cluster", PROBES).isEqualTo(Map.of(
                    "memberListing", PROBES, "status", 3 * PROBES, "listMembersAt", 2 * PROBES, "isHealthy", 3 * PROBES));

            // A new leader (a new term) may come with a new cluster version: read once, then remembered again.
            long leader = probe(admin).members().stream().filter(ObservedMember::leader).findFirst().orElseThrow().id();
            long other = probe(admin).members().stream().filter(m -> m.id() != leader).findFirst().orElseThrow().id();
            admin.reset();
            admin.moveLeader(other);
            await().atMost(Duration.ofSeconds(10)).until(() -> probe(admin).members().stream().anyMatch(m -> m.leader() && m.id() == other));
            assertThat(admin.calls()).as("after the leader changed").containsKey("clusterVersion");
            admin.reset();
            probe(admin);
            assertThat(admin.calls()).doesNotContainKey("clusterVersion");

            clock.advance(ClusterVersionReads.MAX_AGE);
            assertThat(probe(admin).clusterVersion()).isEqualTo("3.5.0");
            assertThat(admin.calls()).as("after %s", ClusterVersionReads.MAX_AGE).containsEntry("clusterVersion", 1);
        }
    }

    private EtcdMemberProbe.Probed probe(CountingEtcdAdmin admin) {
        return probe.probe("test/cluster", admin, m -> Integer.parseInt(m.name().substring(m.name().length() - 1)), List.of(), Optional.empty())
                .orElseThrow();
    }

    /** The system clock, moved forward by the test. */
    static final class MovableClock extends Clock {
        private Duration ahead = Duration.ZERO;

        void advance(Duration step) {
            ahead = ahead.plus(step);
        }

        @Override public ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId zone) { return this; }
        @Override public Instant instant() { return Instant.now().plus(ahead); }
    }
}
