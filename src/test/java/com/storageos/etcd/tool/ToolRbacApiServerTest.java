package com.storageos.etcd.tool;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.testing.EtcdTestCluster;
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
 * Then the monitoring (MonitoringChecks): the chart's alerts and dashboard query only metrics and labels that this
 * operator and these etcd members really export, and the operator's gauges follow the clusters.
 */
class ToolRbacApiServerTest {
    static final String NS = "etcd";
    static final String OPERATOR = AuditLog.serviceAccountUser(OperatorInstall.NAMESPACE, "etcd-operator");

    @Test
    void backupAndDefragRecordTheirOutcomeUnderTheirOwnServiceAccount() throws Exception {
        // Two members: peer metrics (round-trip time) exist only between peers.
        try (ControlPlane plane = ControlPlane.start(false); EtcdTestCluster etcd = EtcdTestCluster.start(2)) {
            OperatorInstall install = OperatorInstall.install(plane, Map.of());
            try (OperatorProcess operator = OperatorProcess.start(install, "operator-0", Map.of())) {
                operator.awaitReady(Duration.ofSeconds(60));
                createCluster(plane);
                CronJob backup = awaitCronJob(plane, "storageos-etcd-backup");
                CronJob defrag = awaitCronJob(plane, "storageos-etcd-defrag");
                Path backups = Files.createDirectories(plane.dir().resolve("backups"));

                assertThat(runTool(plane, backup, etcd, backups)).as("tool backup exit code").isZero();
                assertThat(cluster(plane).getStatus().getLastBackup()).as("status.lastBackup").isNotNull();
                assertThat(lastBackupColumn(plane)).as("kubectl get shows the last backup's age").matches("[0-9]+[sm]");
                assertThat(runTool(plane, defrag, etcd, backups)).as("tool defrag exit code").isZero();
                assertThat(cluster(plane).getStatus().getLastDefrag()).as("status.lastDefrag").isNotNull();

                String tool = AuditLog.serviceAccountUser(NS, backup.getSpec().getJobTemplate().getSpec().getTemplate().getSpec().getServiceAccountName());
                assertThat(plane.audit().writes(tool)).as("the tools wrote through their own account").isNotEmpty();
                assertThat(plane.audit().refused(tool)).as("requests of the tools refused").isEmpty();
                assertThat(plane.audit().refused(OPERATOR)).as("requests of the operator refused").isEmpty();

                MonitoringChecks.chartQueriesOnlyWhatIsExported(operator, etcd);
                MonitoringChecks.gaugesFollowTheClusters(plane, operator);
            }
        }
    }

    /** The LAST BACKUP column of {@code kubectl get etcdcluster}. */
    private static String lastBackupColumn(ControlPlane plane) throws Exception {
        Process p = new ProcessBuilder("kubectl", "--kubeconfig", plane.kubeconfig().toString(), "get", "etcdcluster",
                "storageos-etcd", "-n", NS).redirectErrorStream(true).start();
        List<String> lines = new String(p.getInputStream().readAllBytes()).lines().toList();
        p.waitFor(30, TimeUnit.SECONDS);
        assertThat(lines).as("kubectl get output").hasSize(2);
        assertThat(lines.get(0)).as("the printer columns, Ready first").matches("NAME +READY +MEMBERS +REASON +VERSION +LEADER +LAST BACKUP +AGE *");
        assertThat(lines.get(1).substring(lines.get(0).indexOf("MEMBERS")).split("\\s+")[0]).as("MEMBERS: healthy voters / spec.replicas")
                .matches("[0-9]+/1");
        int at = lines.get(0).indexOf("LAST BACKUP");
        assertThat(at).as("LAST BACKUP column in " + lines.get(0)).isNotNegative();
        return lines.get(1).substring(at).split("\\s+")[0];
    }

    /** The CronJob's container as a process: its args and env, a token of its ServiceAccount, this machine's endpoint and volume. */
    private static int runTool(ControlPlane plane, CronJob job, EtcdTestCluster etcd, Path backups) throws Exception {
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
        env.put("ETCD_ENDPOINTS", String.join(",", etcd.clientUrls()));
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
                  backup: {schedule: "0 * * * *", pvc: {claimName: etcd-backups}, continuous: {enabled: true}}
                  defrag: {schedule: "0 3 * * *"}
                """, EtcdCluster.class)).create();
        // The certificate expiry alert needs a TLS cluster; its members never start here, its certificates are issued at once.
        plane.admin().resource(plane.admin().getKubernetesSerialization().unmarshal("""
                apiVersion: etcd.storageos.com/v1alpha1
                kind: EtcdCluster
                metadata: {name: secure, namespace: etcd}
                spec:
                  replicas: 1
                  tls: {peer: {}, client: {}}
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
