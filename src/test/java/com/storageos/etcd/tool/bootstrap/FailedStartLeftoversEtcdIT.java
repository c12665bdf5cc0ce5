package com.storageos.etcd.tool.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.storageos.etcd.api.v1alpha1.status.EtcdClusterStatus;
import com.storageos.etcd.api.v1alpha1.status.MemberStatus;
import com.storageos.etcd.etcdclient.EtcdAdmin;
import com.storageos.etcd.etcdclient.EtcdAdminException;
import com.storageos.etcd.etcdclient.JetcdEtcdAdminFactory;
import com.storageos.etcd.membership.Journal;
import com.storageos.etcd.status.PendingChanges;
import com.storageos.etcd.testing.EtcdBinaries;
import com.storageos.etcd.testing.EtcdProcess;
import com.storageos.etcd.toolcontract.BootstrapToolEnv;
import com.storageos.etcd.toolcontract.MemberPaths;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What a real etcd start that fails before writing its WAL leaves in the data dir ({@code member/snap/db}
 * only), seen by the real bootstrap tool: no data, so a member the cluster still counts is DataLost,
 * never a Restart that etcd would fail on forever; and once re-added as a learner it joins on that dir.
 */
class FailedStartLeftoversEtcdIT {
    @Test
    void aFailedStartLeavesNoDataAndTheMemberIsReplaced() throws Exception {
        try (EtcdProcess first = EtcdProcess.reserve("lo-0"); EtcdProcess second = EtcdProcess.reserve("lo-1")) {
            first.startNewCluster();
            String initialCluster = first.name() + "=" + first.peerUrl() + "," + second.name() + "=" + second.peerUrl();
            // The cluster does not know lo-1: etcd gives up after it created its backend, before any WAL.
            second.startJoining(initialCluster);
            assertThat(second.awaitExit(Duration.ofSeconds(30))).as("etcd fails to join a cluster that does not know it").isTrue();
            assertThat(second.dataDir().resolve("member/snap/db")).exists();
            assertThat(walSegments(second.dataDir())).as("no WAL segment").isEmpty();

            Path dir = second.dataDir().getParent();
            Map<String, String> env = Map.of(
                    BootstrapToolEnv.CONFIG_TEMPLATE, new ObjectMapper().writeValueAsString(Map.of(
                            "listen-peer-urls", second.peerUrl(), "initial-advertise-peer-urls", second.peerUrl(),
                            "listen-client-urls", second.clientUrl(), "advertise-client-urls", second.clientUrl(),
                            "heartbeat-interval", 50, "election-timeout", 500, "logger", "zap", "log-level", "warn")),
                    "ETCD_DATA_DIR", second.dataDir().toString(),
                    "TERMINATION_MESSAGE_PATH", dir.resolve("termination-log").toString());
            EtcdClusterStatus status = new EtcdClusterStatus();
            status.setClusterId("c1");
            status.setMembers(List.of(member(first.name()), member(second.name())));

            assertThat(new BootstrapCommand().bootstrap(second.name(), 1, status, env)).as("refused, not restarted").isEqualTo(1);
            assertThat(Files.readString(dir.resolve("termination-log"))).startsWith("DataLost:");
            assertThat(second.dataDir().resolve("member/snap/db")).as("nothing deleted").exists();

            // The operator's answer to DataLost (its removal by ID is a no-op here): re-add under the same name as a learner.
            try (Client client = Client.builder().endpoints(first.clientUrl()).build();
                 EtcdAdmin admin = new JetcdEtcdAdminFactory(Duration.ofSeconds(5)).connect(List.of(first.clientUrl()))) {
                client.getKVClient().put(bytes("before"), bytes("v")).get(10, TimeUnit.SECONDS);
                long id = admin.addLearner(second.peerUrl()).added().id();
                status.setPendingChange(PendingChanges.write(Journal.start(Journal.Operation.ReplaceMember, Journal.Phase.MemberAdded,
                        1, second.peerUrl(), id, Instant.now()), second.name(), initialCluster));

                assertThat(new BootstrapCommand().bootstrap(second.name(), 1, status, env)).isZero();
                Process etcd = new ProcessBuilder(EtcdBinaries.tested().etcd(), "--config-file=" + second.dataDir().resolve(MemberPaths.CONFIG_FILE_IN_DATA_DIR)).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(second.logFile().toFile())).start();
                try {
                    promote(admin, id, etcd, second);
                    assertThat(walSegments(second.dataDir())).as("the joined member has a WAL now").isNotEmpty();
                    try (Client joined = Client.builder().endpoints(second.clientUrl()).build()) {
                        assertThat(joined.getKVClient().get(bytes("before")).get(10, TimeUnit.SECONDS).getKvs())
                                .as("the re-added member serves the cluster's data").hasSize(1);
                    }
                } finally {
                    etcd.destroyForcibly().waitFor();
                }
            }
        }
    }

    /** etcd promotes a learner only once it has caught up with the leader. */
    private static void promote(EtcdAdmin admin, long id, Process etcd, EtcdProcess member) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            assertThat(etcd.isAlive()).as("the learner exited:%n%s", member.logTail()).isTrue();
            try {
                admin.promote(id);
                return;
            } catch (EtcdAdminException e) {
                assertThat(System.nanoTime()).as("promoted within 30 s: %s%n%s", e, member.logTail()).isLessThan(deadline);
                Thread.sleep(200);
            }
        }
    }

    private static List<Path> walSegments(Path dataDir) throws Exception {
        Path wal = dataDir.resolve("member/wal");
        if (!Files.isDirectory(wal)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(wal)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".wal")).toList();
        }
    }

    private static MemberStatus member(String name) {
        MemberStatus m = new MemberStatus();
        m.setName(name);
        return m;
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }
}
