package com.storageos.etcd.tool.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.storageos.etcd.api.v1alpha1.spec.EtcdTuningSpec;
import com.storageos.etcd.api.v1alpha1.status.EtcdClusterStatus;
import com.storageos.etcd.desired.EtcdFlags;
import com.storageos.etcd.desired.TlsLayout;
import com.storageos.etcd.membership.Journal;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.naming.LoopbackMemberAddressing;
import com.storageos.etcd.status.PendingChanges;
import com.storageos.etcd.testing.EtcdBinaries;
import com.storageos.etcd.toolcontract.BootstrapToolEnv;
import com.storageos.etcd.toolcontract.MemberPaths;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * spec.etcd.extraArgs through the real path (EtcdFlags template, bootstrap tool, config file) into a
 * real etcd, which exits on a config value of the wrong YAML type.
 */
class ExtraArgsEtcdIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    @TempDir
    Path volume;

    @Test
    void typedExtraArgsStartEtcd() throws Exception {
        ClusterNames names = new ClusterNames("args", "test");
        var addressing = new LoopbackMemberAddressing(ThreadLocalRandom.current().nextInt(2, 250), ThreadLocalRandom.current().nextInt(1, 250));
        EtcdTuningSpec tuning = new EtcdTuningSpec();
        tuning.setAutoCompactionRetention("1");
        tuning.setExtraArgs(Map.of("max-txn-ops", "256", "enable-pprof", "true", "snapshot-count", "5000",
                "grpc-keepalive-interval", "1h", "log-level", "warn"));
        Map<String, String> env = Map.of(
                BootstrapToolEnv.CONFIG_TEMPLATE, new ObjectMapper().writeValueAsString(EtcdFlags.template(names, tuning, addressing, TlsLayout.NONE)),
                "ETCD_DATA_DIR", volume.resolve("data").toString(),
                "TERMINATION_MESSAGE_PATH", volume.resolve("termination-log").toString());
        EtcdClusterStatus status = new EtcdClusterStatus();
        status.setPendingChange(PendingChanges.write(Journal.start(Journal.Operation.Bootstrap, Journal.Phase.Starting,
                0, "", 0, Instant.now()), names.member(0), null));

        assertThat(new BootstrapCommand().bootstrap(names.member(0), 0, status, env)).isZero();
        Process etcd = new ProcessBuilder(EtcdBinaries.tested().etcd(), "--config-file=" + volume.resolve("data").resolve(MemberPaths.CONFIG_FILE_IN_DATA_DIR)).redirectErrorStream(true)
                .redirectOutput(volume.resolve("etcd.log").toFile()).start();
        try {
            String client = addressing.clientUrl(names, 0, false);
            awaitHealthy(etcd, client);
            assertThat(get(client + "/debug/pprof/").statusCode()).as("enable-pprof reached etcd as a boolean").isEqualTo(200);
            assertThat(Files.readString(volume.resolve("data").resolve(MemberPaths.CONFIG_FILE_IN_DATA_DIR))).contains("\"max-txn-ops\" : 256", "\"enable-pprof\" : true",
                    "\"auto-compaction-retention\" : \"1\"", "\"grpc-keepalive-interval\" : 3600000000000");
        } finally {
            etcd.destroyForcibly().waitFor();
        }
    }

    private void awaitHealthy(Process etcd, String client) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(etcd.isAlive()).as("etcd exited:%n%s", Files.readString(volume.resolve("etcd.log"))).isTrue();
            try {
                if (get(client + "/health").body().contains("\"health\":\"true\"")) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("etcd not healthy within 30 s:\n" + Files.readString(volume.resolve("etcd.log")));
    }

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
