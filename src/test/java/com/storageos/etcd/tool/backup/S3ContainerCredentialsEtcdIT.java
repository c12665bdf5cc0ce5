package com.storageos.etcd.tool.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.storageos.etcd.api.v1alpha1.spec.S3DestinationSpec;
import com.storageos.etcd.etcdclient.EtcdAdmin;
import com.storageos.etcd.etcdclient.JetcdEtcdAdminFactory;
import com.storageos.etcd.testing.EtcdTestCluster;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup with no credentials Secret signs its S3 requests with the credentials a cloud identity serves, here over the
 * container-credentials protocol as the EKS Pod Identity agent serves them: a GET to
 * {@code AWS_CONTAINER_CREDENTIALS_FULL_URI} with the token from {@code AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE} in the
 * Authorization header, answered with AccessKeyId, SecretAccessKey, Token and Expiration. The S3 stand-in checks every
 * request's signature, so credentials it does not know fail the backup.
 */
class S3ContainerCredentialsEtcdIT {
    private static final String TOKEN = "pod-identity-token";
    /** The SDK reads the settings from these system properties before the environment, so the test sets them in-process. */
    private static final List<String> SETTINGS = List.of("aws.containerCredentialsFullUri", "aws.containerAuthorizationTokenFile");

    static EtcdTestCluster etcd;
    static S3Server s3;

    @TempDir
    Path dir;
    HttpServer agent;
    final List<String> authorizations = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        etcd = EtcdTestCluster.start(1);
        s3 = S3Server.start();
    }

    @AfterAll
    static void stop() throws Exception {
        etcd.close();
        s3.close();
    }

    @AfterEach
    void clearSettings() {
        SETTINGS.forEach(System::clearProperty);
        if (agent != null) {
            agent.stop(0);
        }
    }

    @Test
    void aBackupSignedWithServedCredentialsIsStoredAndOneWithCredentialsTheStoreDoesNotKnowFails() throws Exception {
        serve(S3Server.ACCESS, S3Server.SECRET);
        BackupName name = BackupName.of("pod-id", Instant.now());
        try (S3BackupStore store = S3BackupStore.open(destination("served"), Map.of(), "ns", "pod-id")) {
            assertThat(store.publish(stage(store, name), name)).isEqualTo("s3://" + s3.bucket() + "/served/" + name.name());
            assertThat(store.list()).containsExactly(name);
        }
        assertThat(authorizations).as("the agent was asked, with the pod's token").isNotEmpty().allMatch(TOKEN::equals);

        agent.stop(0);
        serve(S3Server.ACCESS, "not-the-secret");
        BackupName refused = BackupName.of("pod-id", Instant.now().plusSeconds(60));
        try (S3BackupStore store = S3BackupStore.open(destination("wrong"), Map.of(), "ns", "pod-id")) {
            VerifiedSnapshot snapshot = stage(store, refused);
            assertThatThrownBy(() -> store.publish(snapshot, refused)).hasMessageContaining("upload to s3://")
                    .hasMessageContaining("403");
        }
        try (var client = s3.client()) {
            assertThat(client.listObjectsV2(b -> b.bucket(s3.bucket()).prefix("wrong/")).contents()).as("nothing stored").isEmpty();
        }
    }

    @Test
    void staticKeysFromTheSecretStillWinAndHalfAPairIsRefusedByName() throws Exception {
        serve("unknown", "unknown");
        BackupName name = BackupName.of("keys", Instant.now());
        try (S3BackupStore store = S3BackupStore.open(destination("keys"), s3.credentials(), "ns", "keys")) {
            store.publish(stage(store, name), name);
            assertThat(store.list()).containsExactly(name);
        }
        assertThat(authorizations).as("the agent is not asked when the Secret gives keys").isEmpty();
        assertThatThrownBy(() -> S3BackupStore.open(destination("keys"), Map.of("AWS_ACCESS_KEY_ID", S3Server.ACCESS), "ns", "keys"))
                .hasMessageStartingWith("AWS_SECRET_ACCESS_KEY is not set");
    }

    /** A local credentials agent: 401 without the token, else the given keys with a session token and an expiry. */
    private void serve(String accessKey, String secretKey) throws Exception {
        agent = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        agent.createContext("/v1/credentials", exchange -> {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            authorizations.add(String.valueOf(authorization));
            byte[] body = TOKEN.equals(authorization)
                    ? ("{\"AccessKeyId\":\"" + accessKey + "\",\"SecretAccessKey\":\"" + secretKey + "\",\"Token\":\"session-token\","
                    + "\"Expiration\":\"" + Instant.now().plus(Duration.ofHours(1)) + "\"}").getBytes(StandardCharsets.UTF_8)
                    : "{\"message\":\"no token\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(TOKEN.equals(authorization) ? 200 : 401, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        agent.start();
        Path tokenFile = Files.writeString(dir.resolve("eks-pod-identity-token"), TOKEN);
        System.setProperty(SETTINGS.get(0), "http://127.0.0.1:" + agent.getAddress().getPort() + "/v1/credentials");
        System.setProperty(SETTINGS.get(1), tokenFile.toString());
    }

    private static S3DestinationSpec destination(String prefix) {
        S3DestinationSpec dest = s3.destination();
        dest.setCredentialsSecret(null);
        dest.setPrefix(prefix);
        return dest;
    }

    private static VerifiedSnapshot stage(S3BackupStore store, BackupName name) throws Exception {
        try (EtcdAdmin admin = new JetcdEtcdAdminFactory(Duration.ofSeconds(5)).connect(etcd.clientUrls())) {
            Path staging = BackupCommand.stagingFile(store.stagingDir(), name);
            return new SnapshotTaker(admin).take(SnapshotSource.discover(admin, etcd.clientUrls()), staging, (s, n, d) -> { }).snapshot();
        }
    }
}
