package com.storageos.etcd.reconciler.etcdcluster.members;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.spec.DefragSpec;
import com.storageos.etcd.desired.MemberStatefulSet;
import com.storageos.etcd.desired.RenderSettings;
import com.storageos.etcd.etcdclient.EtcdAdmin;
import com.storageos.etcd.etcdclient.EtcdAlarm;
import com.storageos.etcd.etcdclient.JetcdEtcdAdminFactory;
import com.storageos.etcd.membership.ObservedMember;
import com.storageos.etcd.naming.DnsMemberAddressing;
import com.storageos.etcd.testing.EtcdProcess;
import com.storageos.etcd.testing.EtcdTestCluster;
import com.storageos.etcd.tool.defrag.DefragCommand;
import com.storageos.etcd.toolcontract.ToolEnv;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.CompactOption;
import io.etcd.jetcd.options.DeleteOption;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A whole cluster at NOSPACE (the alarm is cluster-wide: every member reports it): the member pods'
 * probes still pass, the operator still sees healthy members, and compaction plus the defrag tool cure it.
 */
@EnableKubernetesMockClient(crud = true)
class NospaceEtcdIT {
    /** Debian's etcd 3.4.23 takes a 1 MiB quota as is and raises NOSPACE after about 1 MB of puts. */
    static final long QUOTA = 1024 * 1024;
    static final RenderSettings SETTINGS = new RenderSettings("operator:test", "gcr.io/etcd-development/etcd",
            new DnsMemberAddressing("cluster.local"), List.of(), false);
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    static KubernetesClient client;
    final JetcdEtcdAdminFactory admins = new JetcdEtcdAdminFactory(Duration.ofSeconds(5));

    @Test
    void membersStayLiveAndHealthyUnderNospaceAndTheDefragToolClearsIt() throws Exception {
        try (EtcdTestCluster etcd = EtcdTestCluster.start(3, "--quota-backend-bytes=" + QUOTA);
             Client kv = Client.builder().endpoints(etcd.clientUrls().toArray(String[]::new)).build();
             EtcdAdmin admin = admins.connect(etcd.clientUrls())) {
            fillUntilRefused(kv);
            await().atMost(Duration.ofSeconds(5)).until(() -> admin.alarms().stream().anyMatch(a -> a.type().equals(EtcdAlarm.NOSPACE)));
            EtcdCluster cluster = cluster(admin.status(etcd.clientUrls().get(0)).version());
            Container member = MemberStatefulSet.build(cluster, 3, SETTINGS, null).getSpec().getTemplate().getSpec().getContainers().get(0);

            for (EtcdProcess m : etcd.members()) {
                // A test member serves the same /health and /metrics on its client listener as a pod on its metrics one.
                for (Probe probe : List.of(member.getLivenessProbe(), member.getStartupProbe(), member.getReadinessProbe())) {
                    assertThat(get(m.clientUrl() + probe.getHttpGet().getPath())).as(m + " " + probe.getHttpGet().getPath()).isEqualTo(200);
                }
            }
            EtcdMemberProbe.Probed probed = new EtcdMemberProbe().probe("test/cluster", admin, m -> 0, List.of(), Optional.empty()).orElseThrow();
            assertThat(probed.alarms()).as("reported for the Degraded condition").containsExactly(EtcdAlarm.NOSPACE);
            List<ObservedMember> observed = probed.members();
            assertThat(observed).hasSize(3).allSatisfy(m -> assertThat(m.healthy()).as(m.name()).isTrue());
            assertThat(observed).filteredOn(ObservedMember::leader).hasSize(1);

            deleteAllAndCompact(kv);
            client.resource(cluster).create();
            assertThat(new DefragCommand(() -> client, admins, Clock.systemUTC()).run(List.of(), Map.of(ToolEnv.NAMESPACE, "ns",
                    ToolEnv.CLUSTER_NAME, "full", ToolEnv.ENDPOINTS, String.join(",", etcd.clientUrls())))).isZero();
            assertThat(admin.alarms()).isEmpty();
            kv.getKVClient().put(bytes("after"), bytes("ok")).get(5, TimeUnit.SECONDS);
        }
    }

    /** Defragments on the quota clause alone (dbSize over 80 % of the quota), as a full cluster is. */
    private static EtcdCluster cluster(String version) {
        EtcdCluster c = new EtcdCluster();
        c.setMetadata(new ObjectMetaBuilder().withName("full").withNamespace("ns").withUid("uid-1").build());
        c.getSpec().setVersion(version);
        c.getSpec().getEtcd().setQuotaBackendBytes(QUOTA);
        DefragSpec defrag = new DefragSpec();
        defrag.setSchedule("@daily");
        defrag.setMinFreeBytes(Long.MAX_VALUE);
        defrag.setMinFreeRatio(1.0);
        defrag.setTimeoutSeconds(30);
        c.getSpec().setDefrag(defrag);
        return c;
    }

    private static void fillUntilRefused(Client kv) {
        ByteSequence value = ByteSequence.from(new byte[64 * 1024]);
        for (int i = 0; i < 100; i++) {
            try {
                kv.getKVClient().put(bytes("fill/" + i), value).get(5, TimeUnit.SECONDS);
            } catch (Exception spaceExceeded) {
                return;
            }
        }
        throw new AssertionError("the quota never refused a put");
    }

    private static void deleteAllAndCompact(Client kv) throws Exception {
        long rev = kv.getKVClient().delete(bytes("fill/"), DeleteOption.builder().isPrefix(true).build())
                .get(5, TimeUnit.SECONDS).getHeader().getRevision();
        kv.getKVClient().compact(rev, CompactOption.builder().withCompactPhysical(true).build()).get(5, TimeUnit.SECONDS);
    }

    private static int get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }
}
