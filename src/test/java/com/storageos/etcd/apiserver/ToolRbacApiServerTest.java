package com.storageos.etcd.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.testing.EtcdProcess;
import com.storageos.etcd.testing.kube.AuditLog;
import com.storageos.etcd.testing.kube.ControlPlane;
import com.storageos.etcd.testing.kube.OperatorInstall;
import com.storageos.etcd.testing.kube.OperatorProcess;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The backup and defrag tools under the ServiceAccount and Role the operator creates for them, on a
 * real API server: the operator may create that Role (RBAC refuses to grant what the grantor lacks),
 * and the tools, run from the packaged jar with the CronJob's own arguments and environment and a
 * token of that ServiceAccount, record their outcome without a single refused request. Only the etcd
 * endpoint and the backup directory are mapped to this machine, as a kubelet mounts a volume.
 */
class ToolRbacApiServerTest {
    static final String NS = "etcd";
    static final String OPERATOR = AuditLog.serviceAccountUser(OperatorInstall.NAMESPACE, "etcd-operator");

    @Test
    void backupAndDefragRecordTheirOutcomeUnderTheirOwnServiceAccount() throws Exception {
        try (ControlPlane plane = ControlPlane.start(false); EtcdProcess etcd = EtcdProcess.reserve("tool-rbac")) {
            etcd.startNewCluster();
            OperatorInstall install = OperatorInstall.install(plane, Map.of());
            try (OperatorProcess operator = OperatorProcess.start(install, "operator-0", Map.of())) {
                operator.awaitReady(Duration.ofSeconds(60));
                createCluster(plane);
                CronJob backup = awaitCronJob(plane, "storageos-etcd-backup");
                CronJob defrag = awaitCronJob(plane, "storageos-etcd-defrag");
                Path backups = Files.createDirectories(plane.dir().resolve("backups"));

                assertThat(runTool(plane, backup, etcd, backups)).as("tool backup exit code").isZero();
                assertThat(cluster(plane).getStatus().getLastBackup()).as("status.lastBackup").isNotNull();
                assertThat(runTool(plane, defrag, etcd, backups)).as("tool defrag exit code").isZero();
                assertThat(cluster(plane).getStatus().getLastDefrag()).as("status.lastDefrag").isNotNull();

                String tool = AuditLog.serviceAccountUser(NS, backup.getSpec().getJobTemplate().getSpec().getTemplate().getSpec().getServiceAccountName());
                assertThat(plane.audit().writes(tool)).as("the tools wrote through their own account").isNotEmpty();
                assertThat(plane.audit().refused(tool)).as("requests of the tools refused").isEmpty();
                assertThat(plane.audit().refused(OPERATOR)).as("requests of the operator refused").isEmpty();
            }
        }
    }

    /** The CronJob's container as a process: its args and env, a token of its ServiceAccount, this machine's endpoint and volume. */
    private static int runTool(ControlPlane plane, CronJob job, EtcdProcess etcd, Path backups) throws Exception {
        PodSpec pod = job.getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
        Container c = pod.getContainers().get(0);
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar e : c.getEnv()) {
            if (e.getValue() != null) {
                env.put(e.getName(), e.getValue().replace("/backup", backups.toString()));
            } else if (e.getValueFrom() != null && e.getValueFrom().getFieldRef() != null) {
                env.put(e.getName(), NS);
            }
        }
        env.put("ETCD_ENDPOINTS", etcd.clientUrl());
        env.put("KUBERNETES_MASTER", plane.url());
        env.put("KUBERNETES_AUTH_TOKEN", plane.tokenFor(NS, pod.getServiceAccountName()));
        env.put("KUBERNETES_TRUST_CERTIFICATES", "true");
        env.put("KUBECONFIG", plane.dir().resolve("no-kubeconfig").toString());
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", OperatorProcess.JAR.toAbsolutePath().toString()));
        command.addAll(c.getArgs());
        Path log = plane.dir().resolve(String.join("-", c.getArgs()) + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("KUBERNETES") || k.startsWith("ETCD"));
        builder.environment().putAll(env);
        Process p = builder.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        int exit = p.exitValue();
        if (exit != 0) {
            System.out.println(Files.readString(log));
        }
        return exit;
    }

    private static void createCluster(ControlPlane plane) {
        plane.admin().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
        plane.admin().resource(plane.admin().getKubernetesSerialization().unmarshal("""
                apiVersion: etcd.storageos.com/v1alpha1
                kind: EtcdCluster
                metadata: {name: storageos-etcd, namespace: etcd}
                spec:
                  replicas: 1
                  backup: {schedule: "0 * * * *", pvc: {claimName: etcd-backups}}
                  defrag: {schedule: "0 3 * * *"}
                """, EtcdCluster.class)).create();
    }

    private static EtcdCluster cluster(ControlPlane plane) {
        return plane.admin().resources(EtcdCluster.class).inNamespace(NS).withName("storageos-etcd").get();
    }

    private static CronJob awaitCronJob(ControlPlane plane, String name) throws InterruptedException {
        for (int i = 0; i < 150; i++) {
            CronJob job = plane.admin().batch().v1().cronjobs().inNamespace(NS).withName(name).get();
            if (job != null) {
                return job;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("CronJob " + name + " not created within 30 s");
    }
}
