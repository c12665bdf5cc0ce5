package com.storageos.etcd.sandbox.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.storageos.etcd.reconciler.etcdcluster.ContinuousWriter;
import com.storageos.etcd.sandbox.Chaos;
import com.storageos.etcd.sandbox.Sandbox;
import com.storageos.etcd.sandbox.SandboxCluster;
import com.storageos.etcd.sandbox.node.VolumeChaos;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.cluster.Member;
import io.etcd.jetcd.cluster.MemberListResponse;
import io.etcd.jetcd.options.GetOption;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A member brought back on data of an earlier cluster incarnation: a copy of its volume is taken before a restore, and
 * after the restore its volume is rolled back to that copy under the running pod (the kubelet restarts etcd in place,
 * without the bootstrap). Expected: that etcd is refused (never counted as a member; an Event names the member and why),
 * the member replaced under a new ID with the old data moved aside and kept, the cluster Ready with three voters that
 * all report the restored cluster ID, and every write acknowledged meanwhile kept.
 */
final class PreRestoreRollback {
    private final SandboxCluster fixture;
    private final ClusterEvidence evidence;
    private final String member;
    private final Path copy;

    private PreRestoreRollback(SandboxCluster fixture, ClusterEvidence evidence, String member, Path copy) {
        this.fixture = fixture;
        this.evidence = evidence;
        this.member = member;
        this.copy = copy;
    }

    /** Takes the copy now (its container killed for it, and restarted in place). */
    static PreRestoreRollback copyOf(SandboxCluster fixture, ClusterEvidence evidence, String member, Path copy)
            throws IOException, InterruptedException {
        fixture.sandbox().node().changeVolume(Sandbox.NAMESPACE, member, VolumeChaos.copyTo(copy));
        return new PreRestoreRollback(fixture, evidence, member, copy);
    }

    /**
     * Rolls the volume back with a writer running, and checks the outcome.
     *
     * @param preRestoreId the member's ID before the restore, which its copy's data runs as
     * @param clusterId    the restored cluster's ID
     * @return the time from the rollback to the cluster Ready with three voters, in ms
     */
    long rollBackAndExpectReplacement(String preRestoreId, String clusterId) throws Exception {
        String restoredId = evidence.memberIds().get(member);
        Set<String> everRecorded = new HashSet<>();
        try (ContinuousWriter writer = new ContinuousWriter(fixture.clientUrls().subList(0, 3))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> writer.acknowledged().size() > 20);
            long t0 = System.nanoTime();
            fixture.sandbox().node().changeVolume(Sandbox.NAMESPACE, member, VolumeChaos.rollBackTo(copy));
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                everRecorded.addAll(evidence.memberIds().values());
                assertThat(evidence.memberIds().get(member)).as("%s under a new member ID; %s", member,
                        fixture.cluster().getStatus().getConditions()).isNotNull().isNotEqualTo(restoredId).isNotEqualTo(preRestoreId);
                assertThat(Chaos.ready(fixture.cluster())).isTrue();
            });
            fixture.awaitReady(3, Duration.ofSeconds(60));
            long millis = SandboxCluster.millisSince(t0);
            int acknowledged = writer.acknowledged().size();
            await().atMost(Duration.ofSeconds(30)).until(() -> writer.acknowledged().size() > acknowledged + 20);
            writer.close();

            assertThat(everRecorded).as("the pre-restore member is never counted as a member").doesNotContain(preRestoreId);
            assertThat(restartEvents()).as("an Event names the member and why it is refused")
                    .anySatisfy(m -> assertThat(m).contains(member, "runs as member " + preRestoreId, "never joined"));
            assertThat(fixture.cluster().getStatus().getClusterId()).as("still the restored cluster").isEqualTo(clusterId);
            for (String url : fixture.clientUrls().subList(0, 3)) {
                MemberListResponse list = memberList(url);
                assertThat(Long.toHexString(list.getHeader().getClusterId())).as("the cluster ID %s reports", url).isEqualTo(clusterId);
                assertThat(list.getMembers()).as("voters as %s lists them", url).hasSize(3).noneMatch(Member::isLearner);
            }
            assertThat(keys()).as("every write acknowledged after the restore").containsAll(writer.acknowledged());
            assertThat(keptAside()).as("the pre-restore data, moved aside on the volume and kept, with its marker").contains(copiedMarker());
            System.out.printf("pre-restore rollback: %s refused and replaced, Ready with 3 voters %d ms after the rollback; %d writes"
                    + " acknowledged meanwhile, all kept%n", member, millis, writer.acknowledged().size());
            return millis;
        }
    }

    private List<String> restartEvents() {
        return fixture.sandbox().client().v1().events().inNamespace(Sandbox.NAMESPACE).list().getItems().stream()
                .filter(e -> "MemberRestarted".equals(e.getReason())).map(e -> e.getMessage()).toList();
    }

    private static MemberListResponse memberList(String url) throws Exception {
        try (Client client = Client.builder().endpoints(URI.create(url)).build()) {
            return client.getClusterClient().listMember().get(10, TimeUnit.SECONDS);
        }
    }

    private Set<String> keys() throws Exception {
        try (Client reader = Client.builder().endpoints(fixture.clientUrls().subList(0, 3).stream().map(URI::create).toArray(URI[]::new)).build()) {
            return reader.getKVClient().get(ContinuousWriter.bytes("writer/"), GetOption.builder().isPrefix(true).withKeysOnly(true).build())
                    .get(10, TimeUnit.SECONDS).getKvs().stream().map(KeyValue::getKey).map(k -> k.toString(StandardCharsets.UTF_8))
                    .collect(Collectors.toSet());
        }
    }

    /** What the markers of data moved aside as stale say, anywhere under the sandbox (only the rollback moves any so). */
    private Set<String> keptAside() throws IOException {
        return markers(fixture.sandbox().root(), "data\\.stale-\\d+\\.member");
    }

    /** The marker of the data in the copy: the member ID it joined under, or "bootstrap" for member 0. */
    private String copiedMarker() throws IOException {
        return markers(copy, "data\\.member").stream().findFirst().orElseThrow();
    }

    private static Set<String> markers(Path under, String name) throws IOException {
        try (Stream<Path> files = Files.walk(under)) {
            Set<String> said = new HashSet<>();
            for (Path marker : files.filter(p -> p.getFileName().toString().matches(name)).toList()) {
                said.add(Files.readString(marker).trim());
            }
            return said;
        }
    }
}
