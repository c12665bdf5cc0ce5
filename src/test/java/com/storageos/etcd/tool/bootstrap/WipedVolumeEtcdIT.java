package com.storageos.etcd.tool.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.storageos.etcd.api.v1alpha1.status.EtcdClusterStatus;
import com.storageos.etcd.api.v1alpha1.status.MemberStatus;
import com.storageos.etcd.etcdclient.EtcdAdmin;
import com.storageos.etcd.etcdclient.EtcdAdminException;
import com.storageos.etcd.etcdclient.EtcdMember;
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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A member's volume emptied while its pod keeps running, on real etcd with the config the real
 * bootstrap tool writes: the kubelet restarts etcd in place with the pod's command (the init container
 * does not run again). The config lived in the data dir, so it is gone too and etcd exits: a joined
 * member does not rejoin under its old member ID without the data it acknowledged, and member 0 does
 * not form a second, empty cluster from its "new" first-life config. The same when only {@code member/} is lost
 * (a partial restore, a storage fault, a generic recipe): the config lives inside it. The crash loop is what the
 * operator sees and repairs.
 */
class WipedVolumeEtcdIT {
    private static final Duration EXIT_WITHIN = Duration.ofSeconds(20);

    /** What is lost under the running pod: the whole volume, or only etcd's {@code member/} dir inside the data dir. */
    enum Loss { VOLUME, MEMBER_DIR }

    @ParameterizedTest
    @EnumSource(Loss.class)
    void lostDataMakesEtcdExitInsteadOfRejoiningOrFormingANewCluster(Loss loss) throws Exception {
        List<Pod> pods = new ArrayList<>();
        try (EtcdProcess m0 = EtcdProcess.reserve("wv-0"); EtcdProcess m1 = EtcdProcess.reserve("wv-1"); EtcdProcess m2 = EtcdProcess.reserve("wv-2")) {
            List<EtcdProcess> members = List.of(m0, m1, m2);
            EtcdClusterStatus status = new EtcdClusterStatus();
            status.setPendingChange(PendingChanges.write(Journal.start(Journal.Operation.Bootstrap, Journal.Phase.Starting,
                    0, "", 0, Instant.now()), m0.name(), null));
            pods.add(Pod.bootstrap(m0, 0, status));
            pods.get(0).awaitHealthy();
            status.setClusterId("c1");
            status.setPendingChange(null);
            status.setMembers(new ArrayList<>(List.of(member(m0.name()))));

            try (EtcdAdmin admin = new JetcdEtcdAdminFactory(Duration.ofSeconds(5)).connect(List.of(m0.clientUrl()));
                 Client client = Client.builder().endpoints(m0.clientUrl()).build()) {
                for (int ordinal = 1; ordinal < 3; ordinal++) {
                    pods.add(join(admin, members, ordinal, status));
                }
                client.getKVClient().put(bytes("acknowledged"), bytes("v")).get(10, TimeUnit.SECONDS);
                List<Long> ids = admin.listMembers().stream().map(EtcdMember::id).sorted().toList();

                // Member 2 joined last: its join config still matches the membership, so it would rejoin.
                for (int ordinal : new int[] {2, 0}) {
                    Pod pod = pods.get(ordinal);
                    pod.loseAndRestartInPlace(loss);
                    assertThat(pod.awaitExit(EXIT_WITHIN)).as("%s restarted in place on an emptied volume exits:%n%s",
                            pod.member.name(), pod.member.logTail()).isTrue();
                    assertThat(pod.member.logTail()).contains(MemberPaths.CONFIG_FILE_IN_DATA_DIR + ": no such file or directory");
                    // Restarted in place again, as a kubelet does: the same answer every time.
                    pod.restartInPlace();
                    assertThat(pod.awaitExit(EXIT_WITHIN)).as("%s exits again", pod.member.name()).isTrue();
                    assertThat(Files.exists(pod.dataDir().resolve("member"))).as("etcd wrote no member dir").isFalse();
                }
                try (EtcdAdmin survivor = new JetcdEtcdAdminFactory(Duration.ofSeconds(5)).connect(List.of(m1.clientUrl()))) {
                    assertThat(survivor.listMembers().stream().map(EtcdMember::id).sorted().toList())
                            .as("no member came back under a new or old identity on its own").isEqualTo(ids);
                }
            }
        } finally {
            pods.forEach(Pod::kill);
        }
    }

    /** What the operator does for a scale-up: add a learner, record the journal, start the pod, promote. */
    private static Pod join(EtcdAdmin admin, List<EtcdProcess> members, int ordinal, EtcdClusterStatus status) throws Exception {
        EtcdProcess m = members.get(ordinal);
        long id = retry(() -> admin.addLearner(m.peerUrl()).added().id());
        String initialCluster = String.join(",", members.subList(0, ordinal + 1).stream().map(p -> p.name() + "=" + p.peerUrl()).toList());
        status.setPendingChange(PendingChanges.write(Journal.start(Journal.Operation.ScaleUp, Journal.Phase.MemberAdded,
                ordinal, m.peerUrl(), id, Instant.now()), m.name(), initialCluster));
        Pod pod = Pod.bootstrap(m, ordinal, status);
        retry(() -> {
            assertThat(pod.process.isAlive()).as("the learner exited:%n%s", m.logTail()).isTrue();
            admin.promote(id);
            return id;
        });
        status.setPendingChange(null);
        status.getMembers().add(member(m.name()));
        return pod;
    }

    /** etcd refuses a member change until the cluster settled (strict reconfig check) and a promote until the learner caught up. */
    private static long retry(Callable<Long> call) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                return call.call();
            } catch (EtcdAdminException e) {
                assertThat(System.nanoTime()).as("etcd accepted within 30 s: %s", e).isLessThan(deadline);
                Thread.sleep(200);
            }
        }
    }

    /** One member pod: its volume (the reserved dir), the bootstrap tool once, then etcd with the pod's command. */
    private static final class Pod {
        final EtcdProcess member;
        final Path volume;
        Process process;

        private Pod(EtcdProcess member) {
            this.member = member;
            this.volume = member.dataDir().getParent().resolve("volume");
        }

        static Pod bootstrap(EtcdProcess member, int ordinal, EtcdClusterStatus status) throws Exception {
            Pod pod = new Pod(member);
            Files.createDirectories(pod.volume);
            Map<String, String> env = Map.of(
                    BootstrapToolEnv.CONFIG_TEMPLATE, new ObjectMapper().writeValueAsString(Map.of(
                            "listen-peer-urls", member.peerUrl(), "initial-advertise-peer-urls", member.peerUrl(),
                            "listen-client-urls", member.clientUrl(), "advertise-client-urls", member.clientUrl(),
                            "initial-cluster-token", "wiped-volume", "heartbeat-interval", 50, "election-timeout", 500,
                            "logger", "zap", "log-level", "warn")),
                    "ETCD_DATA_DIR", pod.inVolume(MemberPaths.DATA_DIR),
                    "TERMINATION_MESSAGE_PATH", member.dataDir().getParent().resolve("termination-log").toString());
            assertThat(new BootstrapCommand().bootstrap(member.name(), ordinal, status, env)).as("bootstrap of %s", member.name()).isZero();
            pod.restartInPlace();
            return pod;
        }

        /** The member pod's etcd command line, its mount path mapped to this pod's volume. */
        void restartInPlace() throws Exception {
            process = new ProcessBuilder(EtcdBinaries.tested().etcd(), "--config-file=" + inVolume(MemberPaths.CONFIG_FILE)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(member.logFile().toFile())).start();
        }

        void loseAndRestartInPlace(Loss loss) throws Exception {
            process.destroyForcibly().waitFor();
            Path lost = loss == Loss.VOLUME ? volume : dataDir().resolve("member");
            try (Stream<Path> walk = Files.walk(lost)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(volume)).toList()) {
                    Files.delete(p);
                }
            }
            restartInPlace();
        }

        void awaitHealthy() throws Exception {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            try (Client c = Client.builder().endpoints(member.clientUrl()).build()) {
                while (true) {
                    assertThat(process.isAlive()).as("%s exited:%n%s", member.name(), member.logTail()).isTrue();
                    try {
                        c.getKVClient().get(bytes("x")).get(2, TimeUnit.SECONDS);
                        return;
                    } catch (Exception e) {
                        assertThat(System.nanoTime()).as("%s healthy within 30 s", member.name()).isLessThan(deadline);
                    }
                }
            }
        }

        boolean awaitExit(Duration timeout) throws InterruptedException {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        void kill() {
            if (process != null) {
                try {
                    process.destroyForcibly().waitFor();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        Path dataDir() {
            return Path.of(inVolume(MemberPaths.DATA_DIR));
        }

        private String inVolume(String podPath) {
            return volume + podPath.substring(MemberPaths.DATA_MOUNT.length());
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
