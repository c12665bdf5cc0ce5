package com.storageos.etcd.sandbox.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.storageos.etcd.api.v1alpha1.status.BackupStatus;
import com.storageos.etcd.api.v1alpha1.status.RecoveryStatus;
import com.storageos.etcd.desired.RecoveryAnnotation;
import com.storageos.etcd.reconciler.etcdcluster.ContinuousWriter;
import com.storageos.etcd.sandbox.Chaos;
import com.storageos.etcd.sandbox.Sandbox;
import com.storageos.etcd.sandbox.SandboxCluster;
import com.storageos.etcd.sandbox.node.StorageOSClusterFixture;
import com.storageos.etcd.sandbox.node.ToolModeContainer;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restore in place from a backup on the real control plane, one cluster for every scenario, with a writer running
 * until quorum is lost. Backups are asked for with {@code kubectl etcd backup --wait}: the operator starts a backup Job,
 * whose pod the sandbox node runs as a kubelet would (the packaged operator's tool mode, {@link ToolModeContainer}).
 * With a file where the backup directory belongs, each attempt fails and the plugin exits 1 with the tool's reason;
 * without it, the Job completes, writes status.lastBackup into a claim, and the plugin exits 0. A
 * request while quorum holds, made with the {@code kubectl etcd} plugin (the packaged {@code target/kubectl-etcd}, run as a
 * user runs it), is refused and touches nothing. Then two members are killed (-9) and their volumes wiped, a recovery
 * from the third is asked for, and the third loses its volume too, after it was chosen (with the operator killed -9
 * meanwhile): the recovery says it cannot finish, with the commands that supersede or abort it; a new survivor request
 * finds no survivor left and is refused; the plugin's restore request supersedes the recovery and restores the latest
 * backup on the same EtcdCluster, with the operator killed (-9) halfway, and ends Ready with three voters, the plugin
 * exiting 0 once it is, every key of the backup present, the members' old
 * directories moved aside, the StorageOSCluster's address unchanged, and a new cluster ID (status.clusterId and etcd's
 * own). Then one member's volume is rolled back to a copy taken before the loss ({@link PreRestoreRollback}): on data of
 * the earlier incarnation, it is refused and replaced under a new ID, and every write acknowledged meanwhile is kept.
 */
class RestoreFromBackupSystemIT {
    static final String NAME = "storageos-etcd";
    static final String BACKUP_CLAIM = "etcd-backups";
    @TempDir
    Path root;
    SandboxCluster fixture;
    Sandbox sandbox;
    ClusterEvidence evidence;

    @BeforeEach
    void start() throws Exception {
        fixture = SandboxCluster.startWithStorageOS(root, NAME, 0);
        sandbox = fixture.sandbox();
        evidence = new ClusterEvidence(fixture, NAME);
    }

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void aClusterThatLostEveryMembersDataIsRestoredInPlaceFromTheLatestBackup() throws Exception {
        StorageOSClusterFixture.create(sandbox, "old-etcd:2379");
        sandbox.client().persistentVolumeClaims().inNamespace(Sandbox.NAMESPACE).resource(new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName(BACKUP_CLAIM).endMetadata().withNewSpec().withAccessModes("ReadWriteOnce")
                .withNewResources().addToRequests("storage", new Quantity("1Gi")).endResources().endSpec().build()).create();
        fixture.create(SandboxCluster.yaml(NAME, 3, """
                  storageos: {name: storageos, namespace: storageos, addressMode: Members, settleSeconds: 1}
                  backup:
                    schedule: "@daily"
                    pvc: {claimName: %s}
                """.formatted(BACKUP_CLAIM)));
        fixture.awaitReady(3, Duration.ofSeconds(90));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(StorageOSClusterFixture.address(sandbox).split(",")).as(StorageOSClusterFixture.address(sandbox)).hasSize(3));
        String addressBefore = StorageOSClusterFixture.address(sandbox);
        try (ContinuousWriter writer = new ContinuousWriter(fixture.clientUrls())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> writer.acknowledged().size() > 50);
            // A backup whose directory on the claim is taken by a file fails, each of the Job's attempts, and the plugin says why.
            Path inTheWay = Files.writeString(Files.createDirectories(BackupJobPods.claimDir(sandbox, BACKUP_CLAIM)).resolve(NAME), "not a directory");
            PluginRun failedBackup = PluginRun.start(root, sandbox, "backup", "--wait", "--timeout", "4m");
            assertThat(failedBackup.await(Duration.ofSeconds(300))).as("the plugin's exit code: %s", failedBackup.output()).isEqualTo(1);
            assertThat(failedBackup.output()).contains("error: backup Job " + NAME + "-backup-now-", " Failed (BackoffLimitExceeded): backup failed: ")
                    .containsPattern("backup failed: \\S*/" + NAME);
            assertThat(fixture.cluster().getStatus().getLastBackup()).as("no backup recorded").isNull();
            BackupJobPods.assertEachFailed(sandbox, 3, "backup failed: "); // backoffLimit 2: three attempts
            Files.delete(inTheWay);

            // The backup Job, run by the sandbox node as a kubelet runs it, takes the backup; the plugin follows it to the end.
            PluginRun backupRun = PluginRun.start(root, sandbox, "backup", "--wait", "--timeout", "3m");
            assertThat(backupRun.await(Duration.ofSeconds(240))).as("the plugin's exit code: %s", backupRun.output()).isZero();
            BackupStatus backup = fixture.cluster().getStatus().getLastBackup();
            assertThat(backup).as("status.lastBackup, written by the backup Job's tool").isNotNull();
            assertThat(backupRun.output()).containsPattern("\\[ *\\d+s\\] backup Job " + NAME + "-backup-now-\\w+ running")
                    .contains("] done: backup taken by Job " + NAME + "-backup-now-", "revision " + backup.getRevision(), backup.getLocation());
            System.out.println("kubectl etcd backup --wait (a file in the way):\n" + failedBackup.output()
                    + "kubectl etcd backup --wait:\n" + backupRun.output());
            PluginRun status = PluginRun.start(root, sandbox, "status");
            assertThat(status.await(Duration.ofSeconds(30))).as(status.output()).isZero();
            assertThat(status.output()).contains("Ready:        True", "Leader:       " + NAME + "-",
                    "Last backup:  " + backup.getTime(), NAME + "-2   Voter");
            PluginRun backups = PluginRun.start(root, sandbox, "backups");
            assertThat(backups.await(Duration.ofSeconds(30))).as(backups.output()).isZero();
            assertThat(backups.output()).contains("SHA-256:       " + backup.getSha256(), "Size:          ", backup.getLocation());
            Set<String> backedUp = keysAt(backup.getRevision());
            assertThat(backedUp).hasSizeGreaterThan(50);
            await().atMost(Duration.ofSeconds(30)).until(() -> writer.acknowledged().size() > backedUp.size() + 20);

            // While quorum holds, a request is refused, recorded as handled, and nothing is touched.
            Map<String, String> ids = evidence.memberIds();
            Map<String, String> podUids = evidence.podUids();
            PluginRun refusedRun = PluginRun.start(root, sandbox, "restore", NAME, "--from", "latest");
            assertThat(refusedRun.await(Duration.ofSeconds(60))).as("the plugin's exit code: %s", refusedRun.output()).isEqualTo(1);
            assertThat(refusedRun.output()).contains("requested " + RecoveryAnnotation.RESTORE_ANNOTATION + "=latest#",
                    "error: refused: ", "quorum holds (3 of 3 voters healthy)");
            RecoveryStatus refused = recovery().orElseThrow();
            assertThat(refused.getRequest()).startsWith("latest#");
            assertThat(refused.getOutcome()).isEqualTo("Refused");
            assertThat(refused.getMethod()).isEqualTo("FromBackup");
            assertThat(refused.getMessage()).contains("quorum holds (3 of 3 voters healthy)");
            assertThat(evidence.memberIds()).as("no member removed or replaced").isEqualTo(ids);
            assertThat(evidence.podUids()).as("no pod restarted").isEqualTo(podUids);
            assertThat(fixture.cluster().getStatus().getPendingChange()).isNull();
            assertThat(Chaos.ready(fixture.cluster())).isTrue();

            String clusterIdBefore = fixture.cluster().getStatus().getClusterId();
            // The two followers lose their process and their disk: the leader survives, and a recovery from it is asked for.
            String survivor = fixture.cluster().getStatus().getLeader();
            String rolledBack = ids.keySet().stream().filter(n -> !n.equals(survivor)).sorted().findFirst().orElseThrow();
            PreRestoreRollback rollback = PreRestoreRollback.copyOf(fixture, evidence, rolledBack, root.resolve("pre-restore-copy"));
            for (String member : ids.keySet().stream().filter(n -> !n.equals(survivor)).toList()) {
                sandbox.node().wipeVolume(Sandbox.NAMESPACE, member);
            }
            long lossAt = System.nanoTime();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(evidence.available().getReason()).isEqualTo("QuorumLost"));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(evidence.available().getMessage())
                    .contains("the newest backup (taken ")
                    .contains("kubectl annotate etcdcluster/" + NAME + " " + RecoveryAnnotation.RESTORE_ANNOTATION + "=latest")
                    .contains(RecoveryAnnotation.ANNOTATION));
            writer.close();
            fixture.annotate(RecoveryAnnotation.ANNOTATION, "after-loss");
            evidence.awaitJournal("RecoverFromSurvivor");
            // The operator dies (-9), and the survivor it chose loses its disk too before the recovery could finish.
            evidence.awaitEvents("RecoveryStarted");
            sandbox.operator().kill();
            sandbox.node().wipeVolume(Sandbox.NAMESPACE, survivor);
            sandbox.startOperator();

            // The recovery says it cannot finish, with the three ways out; nothing more is touched.
            String annotate = "kubectl annotate etcdcluster/" + NAME + " --overwrite ";
            await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> assertThat(evidence.degraded())
                    .satisfies(d -> assertThat(d.getReason()).as(d.getMessage()).isEqualTo("SurvivorNotStarting"))
                    // etcd answers nothing now, so the survivor is named by its member ID and ordinal.
                    .satisfies(d -> assertThat(d.getMessage()).contains(ids.get(survivor))
                            .contains("(ordinal " + survivor.substring(survivor.lastIndexOf('-') + 1) + ")")
                            .contains(annotate + RecoveryAnnotation.ANNOTATION + "=$(date +%s)")
                            .contains(annotate + RecoveryAnnotation.RESTORE_ANNOTATION + "=latest")
                            .contains(annotate + RecoveryAnnotation.ABORT_ANNOTATION + "=$(date +%s)")));
            // A new survivor request finds no other survivor (the followers' data is gone): refused, the recovery goes on.
            fixture.annotate(RecoveryAnnotation.ANNOTATION, "another-survivor");
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(recovery())
                    .hasValueSatisfying(r -> assertThat(r.getRequest()).isEqualTo("another-survivor")));
            assertThat(recovery().orElseThrow().getOutcome()).isEqualTo("Refused");
            assertThat(recovery().orElseThrow().getMessage()).contains("no member of ours answered").contains("goes on as it was");
            assertThat(fixture.cluster().getStatus().getPendingChange().getOperation()).isEqualTo("RecoverFromSurvivor");

            // A restore from the backup supersedes it.
            long requestedAt = System.nanoTime();
            PluginRun restore = PluginRun.start(root, sandbox, "restore", "--from", "latest", "--timeout", "5m");
            evidence.awaitJournal("RestoreFromBackup");
            evidence.awaitEvents("RecoverySuperseded", "RestoreStarted");
            sandbox.killOperator(); // mid-recovery: the journal in the status is the operator's only memory

            // The plugin follows the request to Ready, across the operator's restart, and says so.
            assertThat(restore.await(Duration.ofSeconds(240))).as("the plugin's exit code: %s", restore.output()).isZero();
            assertThat(recovery()).hasValueSatisfying(r -> assertThat(r.getOutcome()).as("%s", r.getMessage()).isEqualTo("Completed"));
            assertThat(Chaos.ready(fixture.cluster())).as("%s", fixture.cluster().getStatus().getConditions()).isTrue();
            assertThat(restore.output()).contains("requested " + RecoveryAnnotation.RESTORE_ANNOTATION + "=latest#", "] done: completed: ")
                    .containsPattern("\\[ *\\d+s\\] RestoreFromBackup ");
            fixture.awaitReady(3, Duration.ofSeconds(60));
            long requestToReady = SandboxCluster.millisSince(requestedAt);

            RecoveryStatus done = recovery().orElseThrow();
            assertThat(done.getRequest()).startsWith("latest#").isNotEqualTo(refused.getRequest());
            assertThat(done.getBackup()).isEqualTo("latest");
            assertThat(done.getBackupSource()).contains(BACKUP_CLAIM);
            assertThat(done.getRequestedBy()).as("the plugin's field manager").startsWith("kubectl-etcd");
            assertThat(done.getHandled()).containsEntry(RecoveryAnnotation.RESTORE_ANNOTATION, done.getRequest());
            assertThat(evidence.eventReasons()).contains("RecoveryRefused", "RecoveryStarted", "RecoverySuperseded", "RestoreStarted",
                    "MemberRestarted", "RestoreCompleted");
            assertThat(evidence.movedAside()).as("each other member's volume says what the restore moved aside").hasSizeGreaterThanOrEqualTo(2);

            assertThat(keysAt(0)).as("every key of the backup").containsAll(backedUp);
            // Members mode lists the live members: once all three serve again, the same three endpoints.
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(StorageOSClusterFixture.address(sandbox)).as("the StorageOS address").isEqualTo(addressBefore));
            // One identity per incarnation: the restored cluster is a new etcd cluster, in the status and in etcd's own words.
            String clusterIdAfter = fixture.cluster().getStatus().getClusterId();
            assertThat(clusterIdAfter).as("status.clusterId after the restore").isNotEqualTo(clusterIdBefore);
            assertThat(etcdClusterId()).as("etcd's own cluster ID").isEqualTo(clusterIdAfter);
            assertThat(done.getClusterToken()).as("the token recorded with the journal").isNotBlank();
            // A member brought back on pre-restore data is refused and replaced, never joined.
            rollback.rollBackAndExpectReplacement(ids.get(rolledBack), clusterIdAfter);

            System.out.println("kubectl etcd status:\n" + status.output() + "kubectl etcd backups:\n" + backups.output()
                    + "kubectl etcd restore --from latest (quorum held):\n" + refusedRun.output()
                    + "kubectl etcd restore --from latest (every member lost):\n" + restore.output());
            // etcd's floor for the same steps by hand: RestoreFloorEtcdIT prints it.
            System.out.printf("restore from backup system IT: restore request to Ready with 3 voters %d ms (superseding a survivor"
                            + " recovery whose survivor lost its volume; operator killed once on the way; first loss to restore request"
                            + " %d ms); %d keys in the backup, all present; %d writes acknowledged before the loss%n",
                    requestToReady, Duration.ofNanos(requestedAt - lossAt).toMillis(), backedUp.size(), writer.acknowledged().size());
        }
    }

    private String etcdClusterId() throws Exception {
        try (Client client = Client.builder().endpoints(fixture.clientUrls().subList(0, 3).stream().map(URI::create).toArray(URI[]::new)).build()) {
            return Long.toHexString(client.getClusterClient().listMember().get(10, TimeUnit.SECONDS).getHeader().getClusterId());
        }
    }

    /** Every key, at a revision (0: the latest). */
    private Set<String> keysAt(long revision) throws Exception {
        try (Client reader = Client.builder().endpoints(fixture.clientUrls().subList(0, 3).stream().map(URI::create).toArray(URI[]::new)).build()) {
            GetOption.Builder all = GetOption.builder().isPrefix(true).withKeysOnly(true);
            if (revision > 0) {
                all.withRevision(revision);
            }
            return reader.getKVClient().get(ContinuousWriter.bytes("writer/"), all.build()).get(10, TimeUnit.SECONDS).getKvs().stream()
                    .map(KeyValue::getKey).map(k -> k.toString(StandardCharsets.UTF_8)).collect(Collectors.toSet());
        }
    }

    private Optional<RecoveryStatus> recovery() {
        return Optional.ofNullable(fixture.cluster().getStatus()).map(s -> s.getRecovery());
    }
}
