package com.storageos.etcd.reconciler.etcdcluster.members;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.storageos.etcd.api.v1alpha1.status.EtcdClusterStatus;
import com.storageos.etcd.api.v1alpha1.status.MemberStatus;
import com.storageos.etcd.etcdclient.EtcdAdmin;
import com.storageos.etcd.etcdclient.JetcdEtcdAdminFactory;
import com.storageos.etcd.membership.ClusterObservation;
import com.storageos.etcd.membership.Step;
import com.storageos.etcd.status.StatusComputer;
import com.storageos.etcd.status.StatusInput;
import com.storageos.etcd.testing.EtcdBinaries;
import com.storageos.etcd.testing.EtcdProcess;
import com.storageos.etcd.testing.EtcdTestCluster;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A rolling minor upgrade on real etcd, one member at a time on its own data: the status shows each member's server
 * version, the lowest of them, and etcd's cluster version, which stays 3.4.0 until the last member runs 3.5.
 */
class ClusterVersionEtcdIT {
    static final EtcdBinaries FROM = EtcdBinaries.of(EtcdBinaries.V3_4);
    static final EtcdBinaries TO = EtcdBinaries.tested();
    final JetcdEtcdAdminFactory admins = new JetcdEtcdAdminFactory(Duration.ofSeconds(5));
    final StatusComputer computer = new StatusComputer(Clock.systemUTC());
    final EtcdClusterStatus status = new EtcdClusterStatus();

    @Test
    void theClusterVersionMovesOnlyOnceEveryMemberRunsTheNewMinor() {
        try (EtcdTestCluster etcd = EtcdTestCluster.start(FROM, 3); EtcdAdmin admin = admins.connect(etcd.clientUrls())) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(observe(admin).getClusterVersion()).isEqualTo("3.4.0"));
            assertThat(status.getCurrentVersion()).isEqualTo(FROM.version());

            for (int upgraded = 1; upgraded <= 3; upgraded++) {
                EtcdProcess member = etcd.member(upgraded - 1);
                member.stop();
                member.release(TO).restart();
                member.awaitHealthy();
                int count = upgraded;
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(observe(admin).getMembers())
                        .filteredOn(m -> TO.version().equals(m.getVersion())).hasSize(count));
                if (upgraded < 3) {
                    assertThat(status.getMembers()).extracting(MemberStatus::getVersion).contains(FROM.version(), TO.version());
                    assertThat(status.getCurrentVersion()).as("the lowest member version").isEqualTo(FROM.version());
                    assertThat(status.getClusterVersion()).as("with %d of 3 members on %s", upgraded, TO.version()).isEqualTo("3.4.0");
                }
            }
            // etcd's leader checks its members' versions every few seconds and then moves the cluster version.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(observe(admin).getClusterVersion()).isEqualTo("3.5.0"));
            assertThat(status.getCurrentVersion()).isEqualTo(TO.version());
        }
    }

    private EtcdClusterStatus observe(EtcdAdmin admin) {
        EtcdMemberProbe.Probed probed = new EtcdMemberProbe().probe("test/cluster", admin, m -> Integer.parseInt(m.name().substring(m.name().length() - 1)),
                        List.of(), Optional.empty())
                .orElseThrow();
        ClusterObservation obs = new ClusterObservation(true, probed.members(), Map.of(), 3, Set.of(), probed.alarms(), probed.clusterId(),
                Instant.now(), probed.clusterVersion(), Optional.empty());
        computer.apply(new StatusInput("etcd", 3, 1, obs, new Step.Converged(), null, null, "sel"), status);
        return status;
    }
}
