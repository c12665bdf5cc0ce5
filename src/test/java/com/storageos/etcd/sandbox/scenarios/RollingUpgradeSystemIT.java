package com.storageos.etcd.sandbox.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.storageos.etcd.api.v1alpha1.status.MemberStatus;
import com.storageos.etcd.sandbox.SandboxCluster;
import com.storageos.etcd.testing.EtcdBinaries;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rolling changes of the pod template on the real control plane, on one 3-member cluster with a writer
 * running: a minor upgrade of etcd (3.4.23 to 3.5.16), a flag (a tuning field), the resources and a patch upgrade
 * (3.5.16 to 3.5.30; the sandbox node runs exactly the release each image tag names), each one pod at a time, on
 * each member's own data, followers first and the leader last after a leader move, never
 * two member pods not Ready at once (watched), never two failed probes in a row through the client
 * Service, Progressing=True for the whole rollout ({@link RollingCluster#rollOut}). Rollouts that break, a scale-down beside a
 * down member and a drain: {@link RollingRepairSystemIT}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RollingUpgradeSystemIT {
    @TempDir
    static Path root;
    RollingCluster rolling;
    SandboxCluster fixture;

    @BeforeAll
    void start() throws Exception {
        rolling = RollingCluster.start(root, EtcdBinaries.V3_4);
        fixture = rolling.fixture;
    }

    @AfterAll
    void stop() throws Exception {
        if (rolling != null) {
            rolling.close();
        }
    }

    @Test
    @Order(1)
    void aMinorUpgradeRollsOneMemberAtATimeOnItsOwnDataTheLeaderLast() throws Exception {
        upgrade(EtcdBinaries.V3_4, "3.5.16");
    }

    @Test
    @Order(2)
    void aFlagAndAResourcesChangeEachRollOnePodAtATimeTheLeaderLast() throws Exception {
        rolling.rollOut("flag", "{\"spec\":{\"etcd\":{\"snapshotCount\":20000}}}");
        rolling.rollOut("resources", "{\"spec\":{\"resources\":{\"requests\":{\"cpu\":\"50m\",\"memory\":\"64Mi\"}}}}");
        rolling.assertNoAcknowledgedWriteLost();
    }

    @Test
    @Order(3)
    void aPatchUpgradeRollsOneMemberAtATimeOnItsOwnDataTheLeaderLast() throws Exception {
        upgrade("3.5.16", EtcdBinaries.DEFAULT_VERSION);
    }

    /**
     * A version change: every member restarts once on the new release and keeps its member ID (its own data, never
     * replaced), every member reports the new server version, the cluster version etcd reports (major.minor.0) is the old
     * minor's before and the new minor's after (ClusterVersionEtcdIT watches it member by member), and every
     * acknowledged write is kept.
     */
    private void upgrade(String from, String to) throws Exception {
        assertThat(fixture.cluster().getStatus().getMembers()).as("before the upgrade every member runs %s", from)
                .allSatisfy(m -> assertThat(m.getVersion()).isEqualTo(from));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(fixture.cluster().getStatus().getClusterVersion())
                .as("etcd's cluster version before the upgrade").isEqualTo(minorOf(from)));
        Map<String, String> ids = fixture.cluster().getStatus().getMembers().stream()
                .collect(Collectors.toMap(MemberStatus::getName, MemberStatus::getId));
        rolling.rollOut("upgrade " + from + " to " + to, "{\"spec\":{\"version\":\"" + to + "\"}}");
        assertThat(rolling.memberPods()).allSatisfy(p -> assertThat(p.getSpec().getContainers().get(0).getImage()).endsWith(":v" + to));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(fixture.cluster().getStatus().getMembers())
                .as("every member reports %s as etcd's server version", to).allSatisfy(m -> assertThat(m.getVersion()).isEqualTo(to)));
        assertThat(fixture.cluster().getStatus().getMembers().stream()
                .collect(Collectors.toMap(MemberStatus::getName, MemberStatus::getId))).as("every member kept its ID: its own data").isEqualTo(ids);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(fixture.cluster().getStatus().getClusterVersion())
                .as("etcd's cluster version once every member runs %s", to).isEqualTo(minorOf(to)));
        rolling.assertNoAcknowledgedWriteLost();
    }

    /** etcd's cluster version for a release: its major and minor, patch 0. */
    private static String minorOf(String release) {
        return release.substring(0, release.lastIndexOf('.')) + ".0";
    }
}
