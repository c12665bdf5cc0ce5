package com.storageos.etcd.sandbox.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.status.MigrationStatus;
import com.storageos.etcd.etcdclient.EtcdAdmin;
import com.storageos.etcd.etcdclient.EtcdMember;
import com.storageos.etcd.etcdclient.JetcdEtcdAdminFactory;
import com.storageos.etcd.membership.Migration;
import com.storageos.etcd.reconciler.etcdcluster.ContinuousWriter;
import com.storageos.etcd.sandbox.Sandbox;
import com.storageos.etcd.sandbox.SandboxCluster;
import com.storageos.etcd.sandbox.node.StorageOSClusterFixture;
import com.storageos.etcd.sandbox.node.StorageOSNodeReport;
import com.storageos.etcd.sandbox.node.StorageOSStandIn;
import com.storageos.etcd.testing.EtcdTestCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A migration with spec.bootstrap.join.peerAddressing PodIP through the packaged operator on the sandbox. There each member pod
 * of such a cluster has an IP of its own, a new one per pod, besides its member's stable address (the DNS name's stand-in), and
 * its etcd listens on both ({@link Sandbox}): the external cluster lists our learners at their pod IPs, and the operator must
 * still know them as ours. Throughout, with a writer on every endpoint, the StatefulSet's replicas never fall below one past the
 * highest ordinal of ours that etcd lists, and no member pod is replaced. The migration completes with every member back on its
 * member address, StorageOS (one stand-in node, addressMode Members, restarted by the operator) on this cluster's members, and
 * every acknowledged write kept.
 */
class PodIpMigrationSystemIT {
    static final String NAME = "podip";
    @TempDir
    Path root;
    StorageOSOnExternalEtcd start;
    SandboxCluster fixture;
    Sandbox sandbox;
    EtcdTestCluster external;

    @BeforeEach
    void start() throws Exception {
        start = StorageOSOnExternalEtcd.start(root, NAME, 1, 100);
        fixture = start.fixture();
        sandbox = fixture.sandbox();
        external = start.external();
    }

    @AfterEach
    void stop() {
        if (start != null) {
            start.close();
        }
    }

    @Test
    void learnersJoinAtTheirPodIpsKeepTheirPodsAndTheMigrationCompletesOnTheMemberAddresses() throws Exception {
        List<String> externalUrls = external.clientUrls();
        List<String> before = start.keysBefore();
        StorageOSStandIn storageos = fixture.storageos();
        fixture.create(SandboxCluster.yaml(NAME, 3, """
                  bootstrap:
                    join:
                      endpoints: [%s]
                      peerAddressing: PodIP
                  storageos: {name: storageos, namespace: storageos, settleSeconds: 1, addressMode: Members, nodeRestart: Evict}
                """.formatted(String.join(", ", externalUrls))));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(phase()).isEqualTo("Proposed"));
        MigrationStatus plan = fixture.cluster().getStatus().getMigration();

        List<String> ours = IntStream.range(0, 3).mapToObj(i -> sandbox.addressing().clientUrl(fixture.names(), i, false)).toList();
        String ourAddress = IntStream.range(0, 3).mapToObj(i -> sandbox.addressing().memberHost(fixture.names(), i) + ":2379")
                .collect(Collectors.joining(","));
        List<String> all = new ArrayList<>(externalUrls);
        all.addAll(ours);
        long took;
        try (ContinuousWriter writer = new ContinuousWriter(all); ReplicaFloorWatch watch = new ReplicaFloorWatch(sandbox, fixture.names(), all)) {
            Thread.sleep(500);
            long started = System.nanoTime();
            sandbox.annotate(NAME, Migration.APPROVAL_ANNOTATION, plan.getPlanId());
            await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(500)).until(() -> List.of("Completed", "Failed").contains(phase()));
            assertThat(phase()).as("migration %s; replicas below the floor: %s", fixture.cluster().getStatus().getConditions(), watch.belowFloor)
                    .isEqualTo("Completed");
            took = SandboxCluster.millisSince(started);
            fixture.awaitReady(3, Duration.ofSeconds(60));
            Thread.sleep(300);
            writer.close();

            assertThat(watch.belowFloor).as("the StatefulSet's replicas never fell below one past the highest ordinal etcd lists"
                    + " as ours (%d samples)", watch.samples.get()).isEmpty();
            assertThat(watch.highestFloor()).as("all three of ours were seen in etcd").isEqualTo(3);
            assertThat(watch.podIpPeerUrls).as("each member of ours was listed at its pod IP while external members existed")
                    .containsOnlyKeys(0, 1, 2);
            assertThat(watch.podUids).as("every member kept its pod: one pod per ordinal throughout").hasSize(3)
                    .allSatisfy((ordinal, uids) -> assertThat(uids).hasSize(1));
            try (EtcdAdmin admin = new JetcdEtcdAdminFactory(Duration.ofSeconds(1)).connect(ours)) {
                List<EtcdMember> members = admin.listMembers();
                assertThat(members).hasSize(3).allSatisfy(m -> assertThat(m.learner()).isFalse());
                assertThat(members).as("back on the member addresses (the DNS names' stand-in), no pod IP left")
                        .extracting(m -> m.peerUrls().get(0)).containsExactlyInAnyOrderElementsOf(IntStream.range(0, 3)
                                .mapToObj(i -> sandbox.addressing().peerUrl(fixture.names(), i, false)).toList());
                assertThat(members).extracting(m -> m.clientUrls().get(0)).containsExactlyInAnyOrderElementsOf(ours);
            }
            assertThat(StorageOSClusterFixture.address(sandbox)).isEqualTo(ourAddress);
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> assertThat(latest(storageos))
                    .satisfies(r -> assertThat(r.endpoints).isEqualTo(ourAddress)).satisfies(r -> assertThat(r.working()).isTrue()));
            fixture.assertEveryAcknowledgedWriteReadable(before, 90);
            fixture.assertEveryAcknowledgedWriteReadable(writer.acknowledged(), 20);
            List<String> nodeWrites = storageos.nodeReports().stream()
                    .flatMap(r -> StorageOSNodeReport.acknowledged(storageos.reports(), r).stream()).toList();
            fixture.assertEveryAcknowledgedWriteReadable(nodeWrites, 20);
            System.out.printf("podip migration system IT: approval to Completed %d ms, %d acknowledged writes, longest write gap %d ms;"
                    + " replicas below the floor in 0 of %d samples; our members seen at pod IPs %s; StorageOS node: %d run(s), longest"
                    + " time without a working endpoint %d ms%n", took, writer.acknowledged().size(), writer.longestOutageMillis(),
                    watch.samples.get(), watch.podIpPeerUrls, storageos.nodeReports().size(), storageos.nodeReports().stream()
                            .mapToLong(StorageOSNodeReport::longestOutageMillis).max().orElse(0));
        }
    }

    /** The newest run of the StorageOS node process. */
    private static StorageOSNodeReport latest(StorageOSStandIn storageos) {
        List<StorageOSNodeReport> runs = storageos.nodeReports();
        assertThat(runs).isNotEmpty();
        return runs.get(runs.size() - 1);
    }

    private String phase() {
        EtcdCluster c = fixture.cluster();
        return c.getStatus() == null || c.getStatus().getMigration() == null ? null : c.getStatus().getMigration().getPhase();
    }
}
