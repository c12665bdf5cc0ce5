package com.storageos.etcd.sandbox.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.storageos.etcd.sandbox.Sandbox;
import com.storageos.etcd.sandbox.SandboxCluster;
import com.storageos.etcd.sandbox.node.StorageOSClusterFixture;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * StorageOS sync over the whole sandbox (the StorageOSCluster CRD applied to the real API server first): in Members mode, after scaling 3 to 5 the StorageOSCluster's
 * kvBackend.address lists the 5 live client endpoints, each of which serves reads, and the fields
 * the operator does not own are untouched.
 */
class StorageOSSyncSystemIT {
    @TempDir
    Path root;
    SandboxCluster fixture;
    Sandbox sandbox;

    @BeforeEach
    void start() throws Exception {
        fixture = SandboxCluster.startWithStorageOS(root, "sync", 0);
        sandbox = fixture.sandbox();
    }

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void membersModeAddressFollowsAScaleUpToFiveLiveEndpoints() throws Exception {
        StorageOSClusterFixture.create(sandbox, "old-etcd:2379");

        sandbox.apply(new ByteArrayInputStream("""
                apiVersion: etcd.storageos.com/v1alpha1
                kind: EtcdCluster
                metadata:
                  name: sync
                spec:
                  replicas: 3
                  storageos: {name: storageos, namespace: storageos, addressMode: Members, settleSeconds: 1}
                """.getBytes(StandardCharsets.UTF_8)));
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(address()).hasSize(3));

        sandbox.scale("sync", 5);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> assertThat(address()).hasSize(5));

        for (String endpoint : address()) {
            try (Client client = Client.builder().endpoints("http://" + endpoint).build()) {
                client.getKVClient().get(ByteSequence.from("probe", StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS);
            }
        }
        Map<String, Object> spec = spec();
        assertThat(spec).containsEntry("secretRefName", "storageos-api").containsEntry("secretRefNamespace", "storageos").containsEntry("images", Map.of("nodeContainer", "storageos/node:v2"));
        assertThat(((Map<?, ?>) spec.get("kvBackend")).get("backend")).isEqualTo("etcd");
    }

    private List<String> address() {
        Object address = ((Map<?, ?>) spec().get("kvBackend")).get("address");
        return address.toString().startsWith("old-") ? List.of() : Arrays.asList(address.toString().split(","));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> spec() {
        return (Map<String, Object>) sandbox.client().genericKubernetesResources(StorageOSClusterFixture.STORAGEOS).inNamespace("storageos")
                .withName("storageos").get().getAdditionalProperties().get("spec");
    }
}
