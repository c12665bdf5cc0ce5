package com.storageos.etcd.sandbox.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sandbox kubelet's Secret volume: written at pod start, then replaced as a whole when the Secret changes. */
class VolumeMountsTest {
    @TempDir
    Path root;

    @Test
    void aChangedSecretReplacesTheVolumesFilesAndDropsRemovedKeys() throws Exception {
        Pod pod = new PodBuilder().withNewMetadata().withName("p").withUid("u").endMetadata().withNewSpec()
                .addNewVolume().withName("tls").withNewSecret().withSecretName("s").endSecret().endVolume().endSpec().build();
        Map<String, Map<String, String>> secrets = new HashMap<>(Map.of("tls", data("ca.crt", "old-ca", "tls.crt", "old-leaf")));
        VolumeMounts mounts = new VolumeMounts(pod, Map.of(), secrets, Map.of(), root);
        mounts.prepare();
        Path dir = root.resolve("volumes").resolve("tls");
        assertThat(Files.readString(dir.resolve("ca.crt"))).isEqualTo("old-ca");
        Path opened = dir.resolve("tls.crt").toRealPath();

        assertThat(mounts.refreshSecret("tls", data("ca.crt", "old-ca", "tls.crt", "old-leaf"))).as("unchanged").isFalse();
        assertThat(mounts.refreshSecret("tls", data("ca.crt", "new-ca"))).isTrue();
        assertThat(Files.readString(dir.resolve("ca.crt"))).isEqualTo("new-ca");
        assertThat(dir.resolve("tls.crt")).as("a key the Secret lost").doesNotExist();
        assertThat(Files.isSymbolicLink(dir.resolve("..data"))).isTrue();
        assertThat(opened).as("the old payload is gone once replaced").doesNotExist();
        try (var entries = Files.list(dir)) {
            assertThat(entries.filter(p -> p.getFileName().toString().startsWith("..payload"))).hasSize(1);
        }
    }

    private static Map<String, String> data(String... keyValues) {
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            out.put(keyValues[i], Base64.getEncoder().encodeToString(keyValues[i + 1].getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }
}
