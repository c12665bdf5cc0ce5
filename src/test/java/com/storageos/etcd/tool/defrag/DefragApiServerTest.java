package com.storageos.etcd.tool.defrag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.spec.DefragSpec;
import com.storageos.etcd.api.v1alpha1.status.DefragStatus;
import com.storageos.etcd.api.v1alpha1.status.DefragStatus.MemberDefrag;
import com.storageos.etcd.api.v1alpha1.status.ProgressStatus;
import com.storageos.etcd.etcdclient.EtcdAdmin;
import com.storageos.etcd.etcdclient.JetcdEtcdAdminFactory;
import com.storageos.etcd.testing.EtcdTestCluster;
import com.storageos.etcd.testing.kube.ControlPlane;
import com.storageos.etcd.testing.kube.OperatorInstall;
import com.storageos.etcd.testing.kube.ProgressEntries;
import com.storageos.etcd.toolcontract.DefragOutcome;
import com.storageos.etcd.toolcontract.ToolEnv;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.CompactOption;
import io.etcd.jetcd.options.DeleteOption;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The defrag tool against real etcd members and a real API server, whose status.progress a user watches while it runs. */
class DefragApiServerTest {
    static final long MIB = 1024 * 1024;
    static ControlPlane plane;
    static KubernetesClient client;
    final JetcdEtcdAdminFactory admins = new JetcdEtcdAdminFactory(Duration.ofSeconds(5));

    @BeforeAll
    static void startApiServer() {
        plane = ControlPlane.start(false);
        OperatorInstall.applyCrd(plane, Path.of("crds", "etcdclusters.etcd.storageos.com-v1.yml"));
        client = plane.admin();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("ns").endMetadata().build()).create();
    }

    @AfterAll
    static void stopApiServer() {
        plane.close();
    }

    @Test
    void defragmentsFragmentedMembersOneByOneWithTheLeaderLast() throws Exception {
        try (EtcdTestCluster etcd = EtcdTestCluster.start(3);
             Client kv = Client.builder().endpoints(etcd.clientUrls().toArray(String[]::new)).build()) {
            fill(kv, 400, 8 * 1024, Long.MAX_VALUE);
            deleteAllAndCompact(kv);
            // bbolt's in-use figure lags behind a compaction on followers, so the quota clause selects here
            // (about 4.2 MiB of the smallest quota admission takes, 16 MiB, over 0.2); each clause has its own case in DefragPlanTest.
            create("frag", 16 * MIB, 0.2);
            ProgressEntries progress = new ProgressEntries("Defrag");
            try (Watch watch = client.resources(EtcdCluster.class).inNamespace("ns").withName("frag").watch(progress)) {
                assertThat(run("frag", etcd)).isZero();
            }
            List<ProgressStatus> seen = progress.seen();
            assertThat(seen).as("a user watching status.progress sees each member's turn, with what the earlier ones reclaimed")
                    .extracting(ProgressStatus::getOperation, ProgressStatus::getDone, ProgressStatus::getTotal, ProgressStatus::getUnit)
                    .containsExactly(tuple("Defrag", 0L, 3L, "Members"), tuple("Defrag", 1L, 3L, "Members"), tuple("Defrag", 2L, 3L, "Members"));
            assertThat(seen.get(2).getMessage()).contains("2 of 3 members done").contains("bytes reclaimed");
            EtcdCluster after = client.resources(EtcdCluster.class).inNamespace("ns").withName("frag").get();
            assertThat(after.getStatus().getProgress()).as("the entry goes when the tool ends").isNull();
            DefragStatus status = after.getStatus().getLastDefrag();
            assertThat(status.getOutcome()).isEqualTo(DefragOutcome.SUCCEEDED);
            List<MemberDefrag> done = status.getMembers().stream().filter(m -> m.getOutcome().equals("Defragmented")).toList();
            assertThat(done).hasSize(3).allSatisfy(m -> assertThat(m.getAfterBytes()).isLessThan(m.getBeforeBytes()));
            assertThat(done.get(2).getName()).isEqualTo(leader(etcd));
        }
    }

    @Test
    void aMemberAtNospaceAcceptsWritesAgainAfterwards() throws Exception {
        try (EtcdTestCluster etcd = EtcdTestCluster.start(1, "--quota-backend-bytes=" + MIB);
             Client kv = Client.builder().endpoints(etcd.clientUrls().toArray(String[]::new)).build();
             EtcdAdmin admin = admins.connect(etcd.clientUrls())) {
            fill(kv, 100, 64 * 1024, 40);
            deleteAllAndCompact(kv);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (admin.alarms().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(admin.alarms()).isNotEmpty();
            // etcd's own quota is 1 MiB; the spec's is the smallest admission takes, and about 1 MiB of it selects the member.
            create("full", 16 * MIB, 0.03);
            assertThat(run("full", etcd)).isZero();
            assertThat(admin.alarms()).isEmpty();
            kv.getKVClient().put(bytes("after"), bytes("ok")).get(5, TimeUnit.SECONDS);
        }
    }

    private int run(String name, EtcdTestCluster etcd) {
        return new DefragCommand(() -> client, admins, Clock.systemUTC()).run(List.of(), Map.of(ToolEnv.NAMESPACE, "ns",
                ToolEnv.CLUSTER_NAME, name, ToolEnv.ENDPOINTS, String.join(",", etcd.clientUrls())));
    }

    private static void create(String name, long quota, double maxQuotaUsage) {
        EtcdCluster c = new EtcdCluster();
        c.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("ns").build());
        DefragSpec spec = new DefragSpec();
        spec.setSchedule("@daily");
        spec.setMinFreeBytes(Long.MAX_VALUE);
        spec.setMinFreeRatio(1.0);
        spec.setMaxQuotaUsage(maxQuotaUsage);
        spec.setTimeoutSeconds(30);
        c.getSpec().setDefrag(spec);
        c.getSpec().getEtcd().setQuotaBackendBytes(quota);
        client.resource(c).create();
    }

    private String leader(EtcdTestCluster etcd) {
        try (EtcdAdmin admin = admins.connect(etcd.clientUrls())) {
            return etcd.members().stream().filter(m -> admin.status(m.clientUrl()).isLeader()).findFirst().orElseThrow().name();
        }
    }

    /** Writes until {@code count} or until the quota refuses ({@code allowedFailures} tolerated before stopping). */
    private static void fill(Client kv, int count, int size, long stopAfterFailures) throws Exception {
        byte[] value = new byte[size];
        for (int i = 0; i < count; i++) {
            try {
                kv.getKVClient().put(bytes("fill/" + i), ByteSequence.from(value)).get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                if (stopAfterFailures == Long.MAX_VALUE) {
                    throw e;
                }
                return;
            }
        }
    }

    private static void deleteAllAndCompact(Client kv) throws Exception {
        long rev = kv.getKVClient().delete(bytes("fill/"), DeleteOption.builder().isPrefix(true).build())
                .get(5, TimeUnit.SECONDS).getHeader().getRevision();
        kv.getKVClient().compact(rev, CompactOption.builder().withCompactPhysical(true).build()).get(5, TimeUnit.SECONDS);
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }
}
