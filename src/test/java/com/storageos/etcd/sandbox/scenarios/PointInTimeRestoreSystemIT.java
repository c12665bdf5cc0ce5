package com.storageos.etcd.sandbox.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.storageos.etcd.api.v1alpha1.status.ContinuousBackupStatus;
import com.storageos.etcd.api.v1alpha1.status.RecoveryStatus;
import com.storageos.etcd.desired.RecoveryAnnotation;
import com.storageos.etcd.sandbox.Chaos;
import com.storageos.etcd.sandbox.Sandbox;
import com.storageos.etcd.sandbox.SandboxCluster;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 31's restore test on the real control plane: a writer runs while the backup agent ({@code spec.backup.continuous},
 * its Deployment's pod run by the sandbox node as the packaged operator's {@code tool follow}) records every change beside
 * a full snapshot in the backup claim; every member's volume is wiped at a random moment, and the agent holds (etcd then
 * answers as another cluster); {@code restore-from-backup=latest} brings back every write acknowledged more than 5 s before
 * the wipe, and none the writer never sent, with the operator killed (-9) while member 0's bootstrap replays the chain;
 * the agent then follows the restored cluster.
 */
class PointInTimeRestoreSystemIT {
    static final String NAME = "storageos-etcd";
    static final String BACKUP_CLAIM = "etcd-backups";
    @TempDir
    Path root;
    SandboxCluster fixture;
    Sandbox sandbox;

    @BeforeEach
    void start() throws Exception {
        fixture = SandboxCluster.start(root, NAME);
        sandbox = fixture.sandbox();
    }

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void latestBringsBackEveryWriteAcknowledgedFiveSecondsBeforeEveryVolumeWasWiped() throws Exception {
        sandbox.client().persistentVolumeClaims().inNamespace(Sandbox.NAMESPACE).resource(new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName(BACKUP_CLAIM).endMetadata().withNewSpec().withAccessModes("ReadWriteOnce")
                .withNewResources().addToRequests("storage", new Quantity("1Gi")).endResources().endSpec().build()).create();
        fixture.create(SandboxCluster.yaml(NAME, 3, """
                  backup:
                    schedule: "@daily"
                    pvc: {claimName: %s}
                    continuous: {enabled: true}
                """.formatted(BACKUP_CLAIM)));
        fixture.awaitReady(3, Duration.ofSeconds(90));

        Writer writer = new Writer(fixture.clientUrls().subList(0, 3));
        // The agent's first full snapshot is in the store once it reports a recovery point.
        await().atMost(Duration.ofSeconds(120)).until(() -> continuousBackup().map(ContinuousBackupStatus::getRecoveryPoint).isPresent());
        Thread.sleep(8_000 + ThreadLocalRandom.current().nextLong(8_000));
        Instant wipedAt = Instant.now();
        for (int i = 0; i < 3; i++) {
            sandbox.node().wipeVolume(Sandbox.NAMESPACE, NAME + "-" + i);
        }
        writer.stop();
        System.out.println("writes acknowledged before the wipe: " + writer.acked.size() + ", sent: " + writer.sent.size());

        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(Chaos.ready(fixture.cluster())).isFalse());
        long requestedAt = System.nanoTime();
        fixture.annotate(RecoveryAnnotation.RESTORE_ANNOTATION, "force-latest#1");
        // The operator dies (-9) while member 0's bootstrap replays the chain (its staging data dir exists only then).
        Path memberZeroVolume = BackupJobPods.claimDir(sandbox, "data-" + NAME + "-0");
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(20))
                .until(() -> Files.exists(memberZeroVolume.resolve(".restore-" + NAME + "-0.data")));
        sandbox.killOperator();

        await().atMost(Duration.ofSeconds(300)).untilAsserted(() -> assertThat(recovery().getOutcome())
                .as("%s", recovery().getMessage()).isEqualTo("Completed"));
        fixture.awaitReady(3, Duration.ofSeconds(120));
        long requestToReady = SandboxCluster.millisSince(requestedAt);

        RecoveryStatus done = recovery();
        assertThat(done.getRestoredComplete()).as(done.getMessage()).isTrue();
        assertThat(done.getMessage()).contains("replayed its chain to revision " + done.getRestoredRevision());
        Map<String, String> restored = writerKeys();
        Instant cutoff = wipedAt.minusSeconds(5);
        List<String> lost = writer.acked.entrySet().stream().filter(e -> !e.getValue().isAfter(cutoff)).map(Map.Entry::getKey)
                .filter(k -> !restored.containsKey(k)).sorted().toList();
        assertThat(lost).as("writes acknowledged more than 5 s before the wipe and not restored").isEmpty();
        assertThat(restored.keySet()).as("only writes the writer sent").allMatch(writer.sent::contains);
        restored.forEach((k, v) -> assertThat(v).as(k).isEqualTo(k.substring(k.lastIndexOf('/') + 1)));
        // The agent follows the restored cluster (another cluster ID): a write after the restore reaches the store.
        long afterRestore = putAfterRestore();
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> assertThat(continuousBackup().orElseThrow().getRecoveryPoint().getRevision())
                .as("the recovery point after a write to the restored cluster at revision %d", afterRestore).isGreaterThanOrEqualTo(afterRestore));
        System.out.println("backup agent's log: " + agentLog());
        System.out.printf("point-in-time restore system IT: %d writes acknowledged more than 5 s before the wipe, all restored;"
                        + " %d restored of %d acknowledged in all; restored to revision %d; request to Ready with 3 voters %d ms"
                        + " (operator killed once during the replay)%n",
                writer.acked.values().stream().filter(t -> !t.isAfter(cutoff)).count(), restored.size(), writer.acked.size(),
                done.getRestoredRevision(), requestToReady);
    }

    private RecoveryStatus recovery() {
        return Optional.ofNullable(fixture.cluster().getStatus()).map(s -> s.getRecovery()).orElseGet(RecoveryStatus::new);
    }

    private Optional<ContinuousBackupStatus> continuousBackup() {
        return Optional.ofNullable(fixture.cluster().getStatus()).map(s -> s.getContinuousBackup());
    }

    /** What the agent's pods said, oldest first: the sandbox node keeps each container's output in its pod's directory. */
    private List<String> agentLog() throws IOException {
        Path pods = sandbox.root().resolve("pods").resolve(Sandbox.NAMESPACE);
        try (Stream<Path> dirs = Files.list(pods)) {
            List<String> lines = new ArrayList<>();
            for (Path dir : dirs.filter(d -> d.getFileName().toString().startsWith(NAME + "-backup-agent-")).sorted().toList()) {
                Path log = dir.resolve("follow.log");
                if (Files.exists(log)) {
                    Files.readAllLines(log).stream().filter(l -> !l.isBlank()).forEach(lines::add);
                }
            }
            return lines;
        }
    }

    /** One write to the restored cluster, outside the writer's keys; its revision. */
    private long putAfterRestore() throws Exception {
        try (Client client = Client.builder().endpoints(fixture.clientUrls().subList(0, 3).stream().map(URI::create).toArray(URI[]::new)).build()) {
            return client.getKVClient().put(bytes("after-restore"), bytes("1")).get(10, TimeUnit.SECONDS).getHeader().getRevision();
        }
    }

    private Map<String, String> writerKeys() throws Exception {
        try (Client reader = Client.builder().endpoints(fixture.clientUrls().subList(0, 3).stream().map(URI::create).toArray(URI[]::new)).build()) {
            Map<String, String> keys = new TreeMap<>();
            for (KeyValue kv : reader.getKVClient().get(bytes("pitr/"), GetOption.builder().isPrefix(true).build()).get(10, TimeUnit.SECONDS).getKvs()) {
                keys.put(kv.getKey().toString(StandardCharsets.UTF_8), kv.getValue().toString(StandardCharsets.UTF_8));
            }
            return keys;
        }
    }

    static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    /** Puts {@code pitr/<n> = n}, remembering each key sent and when etcd acknowledged it. */
    static final class Writer {
        final Set<String> sent = ConcurrentHashMap.newKeySet();
        final Map<String, Instant> acked = new ConcurrentHashMap<>();
        private final Client client;
        private final Thread thread;
        private volatile boolean running = true;

        Writer(List<String> endpoints) {
            client = Client.builder().endpoints(endpoints.stream().map(URI::create).toArray(URI[]::new)).build();
            thread = new Thread(() -> {
                for (long n = 0; running; n++) {
                    String key = "pitr/" + n;
                    sent.add(key);
                    try {
                        client.getKVClient().put(bytes(key), bytes(Long.toString(n))).get(1, TimeUnit.SECONDS);
                        acked.put(key, Instant.now());
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        // not acknowledged: it may or may not have been applied, and need not come back
                    }
                }
            }, "pitr-writer");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join(10_000);
            client.close();
        }
    }
}
