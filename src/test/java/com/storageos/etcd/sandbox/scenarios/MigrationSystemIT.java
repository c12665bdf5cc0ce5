package com.storageos.etcd.sandbox.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.status.MigrationStatus;
import com.storageos.etcd.etcdclient.EtcdAdmin;
import com.storageos.etcd.etcdclient.EtcdMember;
import com.storageos.etcd.etcdclient.JetcdEtcdAdminFactory;
import com.storageos.etcd.membership.Migration;
import com.storageos.etcd.membership.StorageOSNodes;
import com.storageos.etcd.reconciler.etcdcluster.ContinuousWriter;
import com.storageos.etcd.sandbox.Sandbox;
import com.storageos.etcd.sandbox.SandboxCluster;
import com.storageos.etcd.sandbox.node.StorageOSClusterFixture;
import com.storageos.etcd.sandbox.node.StorageOSNodeReport;
import com.storageos.etcd.sandbox.node.StorageOSStandIn;
import com.storageos.etcd.testing.EtcdProcess;
import com.storageos.etcd.testing.EtcdTestCluster;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole migration over the sandbox: an external etcd cluster of three real processes on loopback (outside
 * the sandbox's pods) that StorageOS uses, with data in it, is taken over by a 3-member EtcdCluster, with the
 * writer running throughout and the operator restarted in two of the migration's phases. First, with one
 * external member down, the migration is refused and nothing is touched. StorageOS is the {@link StorageOSStandIn}: two node
 * processes that read the address only when they start and use etcd throughout; the EtcdCluster has the defaults (addressMode
 * Service, updatePolicy Patch). After the switch the migration waits for the node pods: a person restarts one, then hands the
 * other to the operator (spec.storageos.nodeRestart Evict), which evicts it. Every StorageOS node ends on this cluster's members,
 * none went without a working endpoint beyond its own restart, and every write it had acknowledged is kept.
 */
class MigrationSystemIT {
    static final String NAME = "migrate";
    /**
     * A StorageOS node on members that exist is never without a working endpoint; this bound only leaves room for one slow
     * operation (2 s timeout) while leadership moves. A node left on removed members fails until it is restarted.
     */
    static final long NO_OUTAGE_MILLIS = 3000;
    @TempDir
    Path root;
    StorageOSOnExternalEtcd start;
    SandboxCluster fixture;
    Sandbox sandbox;
    EtcdTestCluster external;

    @BeforeEach
    void start() throws Exception {
        start = StorageOSOnExternalEtcd.start(root, NAME, 2, 200);
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
    void takesOverAnExternalClusterThatStorageOSUsesWithoutLosingAWriteOrLeavingAStorageOSNodeOnRemovedMembers() throws Exception {
        List<String> externalUrls = external.clientUrls();
        List<String> before = start.keysBefore();
        String externalAddress = start.externalAddress();
        StorageOSStandIn storageos = fixture.storageos();
        String originalUid = StorageOSClusterFixture.read(sandbox).orElseThrow().uid();
        Set<Long> externalIds;
        try (EtcdAdmin admin = new JetcdEtcdAdminFactory(Duration.ofSeconds(1)).connect(externalUrls)) {
            externalIds = admin.listMembers().stream().map(EtcdMember::id).collect(Collectors.toSet());
        }

        // One external member down: refused, nothing touched.
        EtcdProcess down = external.member(2);
        down.stop();
        fixture.create(SandboxCluster.yaml(NAME, 3, """
                  bootstrap:
                    join:
                      endpoints: [%s]
                  storageos: {name: storageos, namespace: storageos, settleSeconds: 1}
                """.formatted(String.join(", ", externalUrls))));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(condition("Degraded")).isEqualTo("MigrationRefused"));
        assertThat(sandbox.client().pods().inNamespace(Sandbox.NAMESPACE).withLabel("app.kubernetes.io/instance", NAME).list().getItems()).isEmpty();
        assertThat(StorageOSClusterFixture.address(sandbox)).isEqualTo(externalAddress);
        assertThat(migration()).isNull();

        down.restart();
        down.awaitHealthy();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(migration()).isNotNull();
            assertThat(migration().getPhase()).isEqualTo("Proposed");
            assertThat(condition("Progressing")).isEqualTo("MigrationAwaitingApproval");
        });
        MigrationStatus plan = migration();
        assertThat(plan.getPlan()).hasSize(10);
        Thread.sleep(1000); // a dry run: the plan is shown, and nothing more happens without approval
        assertThat(sandbox.client().pods().inNamespace(Sandbox.NAMESPACE).withLabel("app.kubernetes.io/instance", NAME).list().getItems()).isEmpty();
        assertThat(StorageOSClusterFixture.address(sandbox)).isEqualTo(externalAddress);

        List<String> ours = IntStream.range(0, 3).mapToObj(i -> sandbox.addressing().clientUrl(fixture.names(), i, false)).toList();
        String ourAddress = sandbox.addressing().clientServiceAddress(fixture.names());
        List<String> all = new ArrayList<>(externalUrls);
        all.addAll(ours);
        try (ContinuousWriter writer = new ContinuousWriter(all); StorageOSAddressWatch watch = new StorageOSAddressWatch(all, sandbox, () -> conditionStatus("Available"))) {
            Thread.sleep(500);
            long started = System.nanoTime();
            sandbox.annotate(NAME, Migration.APPROVAL_ANNOTATION, plan.getPlanId());
            // Restarted as soon as the migration started, and again once external members are being removed.
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(phase()).isNotEqualTo("Proposed"));
            long restarts = sandbox.startOperatorAfterStop().toMillis();
            // The node pods started before the switch: no external member goes until they restart, however long that takes.
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> assertThat(phase()).isEqualTo("AwaitingStorageOSRestart"));
            Thread.sleep(3000);
            assertThat(phase()).isEqualTo("AwaitingStorageOSRestart");
            assertThat(condition("Progressing")).isEqualTo("MigrationAwaitingStorageOSRestart");
            try (EtcdAdmin admin = new JetcdEtcdAdminFactory(Duration.ofSeconds(1)).connect(ours)) {
                assertThat(admin.listMembers()).extracting(EtcdMember::id).containsAll(externalIds);
            }
            // A person restarts the first node pod the condition names; the other still holds the external members.
            String manual = nodePod("storageos-node-0");
            sandbox.client().pods().inNamespace("storageos").withName(manual).delete();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> assertThat(latest(storageos, "storageos-node-0"))
                    .satisfies(r -> assertThat(r.endpoints).isEqualTo(ourAddress)).satisfies(r -> assertThat(r.working()).isTrue()));
            Thread.sleep(2000);
            assertThat(phase()).isEqualTo("AwaitingStorageOSRestart");
            // ... and hands the rest to the operator, which evicts it.
            String evicted = nodePod("storageos-node-1");
            sandbox.client().resources(EtcdCluster.class).inNamespace(Sandbox.NAMESPACE).withName(NAME)
                    .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"storageos\":{\"nodeRestart\":\"Evict\"}}}");
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> assertThat(phase()).isIn("RemovingExternalMembers", "Completed"));
            restarts += sandbox.startOperatorAfterStop().toMillis();
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> assertThat(phase()).isEqualTo("Completed"));
            long took = SandboxCluster.millisSince(started);
            fixture.awaitReady(3, Duration.ofSeconds(60));
            Thread.sleep(300);
            writer.close();

            assertThat(StorageOSClusterFixture.address(sandbox)).isEqualTo(ourAddress);
            try (EtcdAdmin admin = new JetcdEtcdAdminFactory(Duration.ofSeconds(1)).connect(ours)) {
                List<EtcdMember> members = admin.listMembers();
                assertThat(members).hasSize(3).allSatisfy(m -> assertThat(m.learner()).isFalse());
                assertThat(members).extracting(EtcdMember::id).doesNotContainAnyElementsOf(externalIds);
                assertThat(members).extracting(m -> m.clientUrls().get(0)).containsExactlyInAnyOrderElementsOf(ours);
            }
            fixture.assertEveryAcknowledgedWriteReadable(before, 100);
            fixture.assertEveryAcknowledgedWriteReadable(writer.acknowledged(), 20);
            assertThat(watch.quorumLost.get()).as("quorum never lost (Available never False)").isFalse();
            assertThat(watch.wrongMillis.get()).as("StorageOS's address never named a non-member").isZero();
            assertThat(watch.addresses).as("one switch, from the external members straight to all of ours")
                    .containsExactly(externalAddress, ourAddress);
            assertThat(watch.incarnations).as("patched in place: one StorageOSCluster throughout")
                    .extracting(StorageOSClusterFixture.Seen::uid).containsOnly(originalUid);
            assertThat(events("StorageOSNodeRestarted")).as("the operator evicted only the node pod the person left").singleElement()
                    .satisfies(e -> assertThat(e.getMessage()).contains(evicted));
            Thread.sleep(1500); // a last report from every running node process
            Map<String, List<StorageOSNodeReport>> byNode = storageos.nodeReports().stream()
                    .collect(Collectors.groupingBy(r -> r.node, TreeMap::new, Collectors.toList()));
            assertThat(byNode).as("one restart per StorageOS node").hasSize(2).allSatisfy((node, runs) -> assertThat(runs).hasSize(2));
            byNode.forEach((node, runs) -> {
                StorageOSNodeReport now = runs.get(runs.size() - 1);
                assertThat(now.endpoints).as("%s ends on this cluster's members", node).isEqualTo(ourAddress);
                assertThat(now.working()).as("%s works", node).isTrue();
                assertThat(now.written()).as("%s still runs", node).isAfter(Instant.now().minusSeconds(3));
                // Its own restart aside (a new process starts before it first works), never without a working endpoint.
                runs.forEach(r -> assertThat(r.longestOutageMillis()).as("%s (pod %s on %s) without a working endpoint", node, r.podUid,
                        r.endpoints).isLessThan(NO_OUTAGE_MILLIS));
            });
            List<String> nodeWrites = byNode.values().stream().flatMap(List::stream)
                    .flatMap(r -> StorageOSNodeReport.acknowledged(storageos.reports(), r).stream()).toList();
            fixture.assertEveryAcknowledgedWriteReadable(nodeWrites, 100);
            System.out.printf("migration system IT: approval to Completed %d ms (2 operator restarts, %d ms of it waiting for the"
                    + " new operator to be ready), %d acknowledged writes, longest write gap %d ms, StorageOS address wrong for %d ms"
                    + " (%d samples), StorageOSCluster absent for %d ms while recreated%n", took, restarts, writer.acknowledged().size(),
                    writer.longestOutageMillis(), watch.wrongMillis.get(), watch.samples.get(), watch.absentMillis.get());
            byNode.forEach((node, runs) -> System.out.printf("migration system IT: StorageOS node %s: %d restart(s), longest time without"
                    + " a working etcd endpoint %d ms (own restarts aside: first write %s after each start), %d failed operations, %d"
                    + " acknowledged writes%n", node, runs.size() - 1, runs.stream().mapToLong(StorageOSNodeReport::longestOutageMillis).max()
                    .orElse(0), runs.stream().map(r -> r.firstOk() == null ? "never" : Duration.between(r.started, r.firstOk()).toMillis()
                    + " ms").toList(), runs.stream().mapToLong(StorageOSNodeReport::failures).sum(), runs.stream()
                    .mapToLong(r -> StorageOSNodeReport.acknowledged(storageos.reports(), r).size()).sum()));
        }
    }

    /** The running node pod of the StorageOS DaemonSet on {@code node}. */
    private String nodePod(String node) {
        return sandbox.client().pods().inNamespace("storageos").withLabels(StorageOSNodes.DEFAULT_LABELS).list().getItems().stream()
                .filter(p -> node.equals(p.getSpec().getNodeName()) && p.getMetadata().getDeletionTimestamp() == null)
                .map(p -> p.getMetadata().getName()).findFirst().orElseThrow();
    }

    /** The newest node process on {@code node}. */
    private static StorageOSNodeReport latest(StorageOSStandIn storageos, String node) {
        List<StorageOSNodeReport> runs = storageos.nodeReports().stream().filter(r -> r.node.equals(node)).toList();
        assertThat(runs).isNotEmpty();
        return runs.get(runs.size() - 1);
    }

    private List<Event> events(String reason) {
        return sandbox.client().v1().events().inNamespace(Sandbox.NAMESPACE).list().getItems().stream()
                .filter(e -> reason.equals(e.getReason())).toList();
    }

    private MigrationStatus migration() {
        EtcdCluster c = fixture.cluster();
        return c.getStatus() == null ? null : c.getStatus().getMigration();
    }

    private String phase() {
        MigrationStatus m = migration();
        return m == null ? null : m.getPhase();
    }

    private String condition(String type) {
        EtcdCluster c = fixture.cluster();
        return c.getStatus() == null ? null : c.getStatus().getConditions().stream().filter(x -> x.getType().equals(type))
                .map(x -> x.getReason()).findFirst().orElse(null);
    }

    private String conditionStatus(String type) {
        EtcdCluster c = fixture.cluster();
        return c.getStatus() == null ? null : c.getStatus().getConditions().stream().filter(x -> x.getType().equals(type))
                .map(x -> x.getStatus()).findFirst().orElse(null);
    }
}
