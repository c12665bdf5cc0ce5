package com.storageos.etcd.sandbox.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.storageos.etcd.reconciler.etcdcluster.ContinuousWriter;
import com.storageos.etcd.sandbox.SandboxCluster;
import com.storageos.etcd.sandbox.node.StorageOSClusterFixture;
import com.storageos.etcd.testing.EtcdTestCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Where every migration on the sandbox starts: an external etcd cluster of three real processes on loopback, outside the
 * sandbox's pods, with keys in it, and StorageOS (the stand-in's node processes) working on it through a StorageOSCluster
 * whose address names its members.
 */
final class StorageOSOnExternalEtcd implements AutoCloseable {
    private final SandboxCluster fixture;
    private final EtcdTestCluster external;
    private final List<String> keysBefore;

    private StorageOSOnExternalEtcd(SandboxCluster fixture, EtcdTestCluster external, List<String> keysBefore) {
        this.fixture = fixture;
        this.external = external;
        this.keysBefore = keysBefore;
    }

    /** The sandbox with {@code nodes} StorageOS nodes, each working on the external cluster that holds {@code keys} keys. */
    static StorageOSOnExternalEtcd start(Path root, String name, int nodes, int keys) throws Exception {
        SandboxCluster fixture = SandboxCluster.startWithStorageOS(root, name, nodes);
        EtcdTestCluster external = null;
        try {
            external = EtcdTestCluster.start(3);
            StorageOSOnExternalEtcd started = new StorageOSOnExternalEtcd(fixture, external, ContinuousWriter.writeKeys(external.clientUrls(), keys));
            StorageOSClusterFixture.create(fixture.sandbox(), started.externalAddress());
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> assertThat(fixture.storageos().nodeReports())
                    .as("every StorageOS node works on the external members").hasSize(nodes)
                    .allSatisfy(r -> assertThat(r.endpoints).isEqualTo(started.externalAddress())).allSatisfy(r -> assertThat(r.working()).isTrue()));
            return started;
        } catch (Exception | AssertionError e) {
            if (external != null) {
                external.close();
            }
            fixture.close();
            throw e;
        }
    }

    SandboxCluster fixture() {
        return fixture;
    }

    EtcdTestCluster external() {
        return external;
    }

    /** The keys written to the external cluster before StorageOS started on it. */
    List<String> keysBefore() {
        return keysBefore;
    }

    /** The address StorageOS starts on: the external members' client host:port pairs. */
    String externalAddress() {
        return external.clientUrls().stream().map(u -> u.substring("http://".length())).collect(Collectors.joining(","));
    }

    @Override
    public void close() {
        fixture.close();
        external.close();
    }
}
