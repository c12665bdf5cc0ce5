package com.storageos.etcd.tool.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.storageos.etcd.api.v1alpha1.spec.RestoreSpec;
import com.storageos.etcd.api.v1alpha1.spec.S3DestinationSpec;
import com.storageos.etcd.etcdclient.EtcdAdmin;
import com.storageos.etcd.etcdclient.JetcdEtcdAdminFactory;
import com.storageos.etcd.testing.EtcdProcess;
import com.storageos.etcd.testing.EtcdTestCluster;
import com.storageos.etcd.tool.restore.RestoreBinary;
import com.storageos.etcd.tool.restore.SnapshotRestorer;
import com.storageos.etcd.toolcontract.ToolEnv;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.GetOption;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Snapshots above the single-PUT limit go to S3 in parts, against a real S3 server (s3proxy) and a
 * real etcd. The limit is lowered from 256 MiB to 6 MiB, with S3's smallest part size of 5 MiB, so
 * that a 12 MiB database takes three parts and the test stays fast.
 */
class S3MultipartEtcdIT {
    static final long LIMIT = 6L * 1024 * 1024;
    static final int PART = 5 * 1024 * 1024;
    static final int KEYS = 192;

    static EtcdTestCluster etcd;
    static S3Server s3;

    @BeforeAll
    static void start() throws Exception {
        etcd = EtcdTestCluster.start(1);
        byte[] value = new byte[64 * 1024];
        new Random(3).nextBytes(value);
        try (Client kv = Client.builder().endpoints(etcd.clientUrls().toArray(String[]::new)).build()) {
            for (int i = 0; i < KEYS; i++) {
                kv.getKVClient().put(ByteSequence.from(("bulk/" + i).getBytes()), ByteSequence.from(value)).get(10, TimeUnit.SECONDS);
            }
        }
        s3 = S3Server.start();
    }

    @AfterAll
    static void stop() throws Exception {
        etcd.close();
        s3.close();
    }

    @Test
    void aSnapshotAboveTheLimitGoesUpInPartsAndRestores() throws Exception {
        S3DestinationSpec dest = destination("parts");
        BackupName name = BackupName.of("big", Instant.now());
        long parts;
        try (S3BackupStore store = store(dest)) {
            VerifiedSnapshot snapshot = stage(store, name);
            assertThat(snapshot.size()).as("needs three parts or more").isGreaterThan(2L * PART);
            // etcd's database file grows in steps, so the same keys make a snapshot of 3 or 4 parts.
            parts = -Math.floorDiv(-snapshot.size(), PART);

            assertThat(store.publish(snapshot, name)).isEqualTo("s3://" + s3.bucket() + "/parts/" + name.name());
            assertThat(store.list()).containsExactly(name);
        }
        try (S3Client client = s3.client()) {
            assertThat(client.listMultipartUploads(b -> b.bucket(s3.bucket())).uploads()).as("uploads left open").isEmpty();
            assertThat(client.headObject(b -> b.bucket(s3.bucket()).key("parts/" + name.name())).eTag())
                    .as("a multipart object's ETag counts its parts").endsWith("-" + parts + "\"");
        }
        RestoreSpec restore = new RestoreSpec();
        restore.setS3(dest);
        try (EtcdProcess fresh = EtcdProcess.reserve("from-parts")) {
            assertThat(new SnapshotRestorer(new RestoreBinary("/usr/bin/etcdctl"))
                    .restore(restore, restoreEnv(), fresh.name(), fresh.peerUrl(), "parts-token", fresh.dataDir())).isEqualTo(name);
            fresh.startNewCluster();
            try (Client kv = Client.builder().endpoints(fresh.clientUrl()).build()) {
                assertThat(kv.getKVClient().get(ByteSequence.from("bulk/".getBytes()), GetOption.builder().isPrefix(true).withCountOnly(true).build())
                        .get(10, TimeUnit.SECONDS).getCount()).isEqualTo(KEYS);
            }
        }
    }

    @Test
    void aSnapshotThatChangedAfterVerificationIsAbortedLeavingNoParts() throws Exception {
        S3DestinationSpec dest = destination("changed");
        BackupName name = BackupName.of("big", Instant.now());
        try (S3BackupStore store = store(dest)) {
            VerifiedSnapshot snapshot = stage(store, name);
            try (RandomAccessFile file = new RandomAccessFile(snapshot.file().toFile(), "rw")) {
                // In the last part, after two good parts went up: they must be aborted too.
                file.seek(2L * PART + 100);
                int b = file.read();
                file.seek(2L * PART + 100);
                file.write(b ^ 1);
            }

            assertThatThrownBy(() -> store.publish(snapshot, name)).hasMessageContaining("changed after it was verified");
            assertThat(store.list()).isEmpty();
        }
        try (S3Client client = s3.client()) {
            assertThat(client.listMultipartUploads(b -> b.bucket(s3.bucket())).uploads()).as("uploads left open").isEmpty();
            assertThatThrownBy(() -> client.headObject(b -> b.bucket(s3.bucket()).key("changed/" + name.name())))
                    .isInstanceOf(S3Exception.class);
        }
    }

    /**
     * s3proxy implements no server-side encryption, so it stands for a store that cannot honour the
     * request: asked for SSE, it must refuse the backup (single PUT and multipart alike) rather than
     * keep it unencrypted, which shows the request reaches the store.
     */
    @Test
    void aStoreThatCannotEncryptRefusesAnEncryptedBackup() throws Exception {
        S3DestinationSpec dest = destination("sse");
        dest.setServerSideEncryption("AES256");
        BackupName name = BackupName.of("big", Instant.now());
        try (S3BackupStore single = S3BackupStore.open(dest, s3.credentials(), "ns", "big")) {
            VerifiedSnapshot snapshot = stage(single, name);
            assertThatThrownBy(() -> single.publish(snapshot, name)).hasMessageContaining("upload to s3://");
        }
        dest.setServerSideEncryption("aws:kms");
        dest.setKmsKeyId("alias/etcd-backups");
        try (S3BackupStore parts = store(dest)) {
            VerifiedSnapshot snapshot = stage(parts, name);
            assertThatThrownBy(() -> parts.publish(snapshot, name)).hasMessageContaining("upload to s3://");
            assertThat(parts.list()).isEmpty();
        }
        try (S3Client client = s3.client()) {
            assertThat(client.listMultipartUploads(b -> b.bucket(s3.bucket())).uploads()).as("uploads left open").isEmpty();
        }
    }

    private static Map<String, String> restoreEnv() {
        Map<String, String> env = new HashMap<>(s3.credentials());
        env.put(ToolEnv.NAMESPACE, "ns");
        env.put(ToolEnv.CLUSTER_NAME, "big");
        return env;
    }

    private static S3DestinationSpec destination(String prefix) {
        S3DestinationSpec dest = s3.destination();
        dest.setPrefix(prefix);
        return dest;
    }

    private static S3BackupStore store(S3DestinationSpec dest) {
        // Lowered from 256 and 16 MiB so that a snapshot of a few MiB goes in three parts.
        Map<String, String> env = new HashMap<>(s3.credentials());
        env.put(ToolEnv.S3_MULTIPART_THRESHOLD_BYTES, Long.toString(LIMIT));
        env.put(ToolEnv.S3_PART_SIZE_BYTES, Integer.toString(PART));
        return S3BackupStore.open(dest, env, "ns", "big");
    }

    private static VerifiedSnapshot stage(S3BackupStore store, BackupName name) throws Exception {
        try (EtcdAdmin admin = new JetcdEtcdAdminFactory(Duration.ofSeconds(5)).connect(etcd.clientUrls())) {
            Path staging = BackupCommand.stagingFile(store.stagingDir(), name);
            return new SnapshotTaker(admin).take(SnapshotSource.discover(admin, etcd.clientUrls()), staging, (s, n, d) -> { }).snapshot();
        }
    }
}
