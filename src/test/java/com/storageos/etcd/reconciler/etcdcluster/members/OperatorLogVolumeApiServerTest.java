package com.storageos.etcd.reconciler.etcdcluster.members;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.testing.kube.ControlPlane;
import com.storageos.etcd.testing.kube.OperatorInstall;
import com.storageos.etcd.testing.kube.OperatorProcess;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What an operator writes while the members it should reach do not resolve, as on a real control plane before their
 * pods are scheduled: no kubelet runs here, so member 0's DNS name never resolves. One line says so, without a stack
 * trace, instead of gRPC's warning with a full UnknownHostException trace on every attempt.
 */
class OperatorLogVolumeApiServerTest {
    private static final Duration WATCHED = Duration.ofSeconds(90);

    @Test
    void aMemberThatDoesNotResolveIsOneLogLineNotAStackTracePerAttempt() throws Exception {
        try (ControlPlane plane = ControlPlane.start(false)) {
            KubernetesClient client = plane.admin();
            OperatorInstall install = OperatorInstall.install(plane, Map.of());
            try (OperatorProcess operator = OperatorProcess.start(install, "operator-0", Map.of())) {
                operator.awaitReady(Duration.ofSeconds(60));
                client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("logs").endMetadata().build()).create();
                int before = Files.readAllLines(operator.log()).size();
                EtcdCluster cluster = client.getKubernetesSerialization().unmarshal("""
                        apiVersion: etcd.storageos.com/v1alpha1
                        kind: EtcdCluster
                        metadata: {name: unresolved}
                        spec: {replicas: 3}
                        """, EtcdCluster.class);
                client.resource(cluster).inNamespace("logs").create();
                Thread.sleep(WATCHED.toMillis());
                List<String> lines = Files.readAllLines(operator.log());
                List<String> written = lines.subList(before, lines.size());
                double perMinute = written.size() * 60.0 / WATCHED.toSeconds();
                System.out.printf("operator log: %d lines in %d s (%.1f per minute), %d stack-trace lines%n", written.size(),
                        WATCHED.toSeconds(), perMinute, written.stream().filter(l -> l.startsWith("\tat ")).count());
                assertThat(written.stream().filter(l -> l.startsWith("\tat ") || l.contains("ManagedChannelImpl"))).as("gRPC's warnings, stack traces")
                        .isEmpty();
                assertThat(written.stream().filter(l -> l.contains("etcd cluster logs/unresolved: no member can be reached"))).as("said once")
                        .hasSize(1);
                assertThat(perMinute).as("lines per minute").isLessThan(20);
            }
        }
    }
}
