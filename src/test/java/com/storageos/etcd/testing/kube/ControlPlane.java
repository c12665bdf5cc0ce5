package com.storageos.etcd.testing.kube;

import com.storageos.etcd.testing.EtcdProcess;
import com.storageos.etcd.testing.FreshPorts;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A real Kubernetes control plane for one test or one sandbox: its own etcd, a {@code kube-apiserver}
 * with RBAC, ServiceAccount tokens and an audit log of every write, and on request the
 * {@code kube-controller-manager} (StatefulSets, PV binder, garbage collector, disruption, Jobs and
 * CronJobs). Each instance has its own free loopback ports and directory; {@link #close()} stops all.
 * Nothing here plays the node: see the sandbox's kubelet for that.
 */
public final class ControlPlane implements AutoCloseable {
    /**
     * The controllers that work without a real node or cloud. Not the endpoint controllers either: the sandbox's pod IPs are
     * loopback addresses, which the API server refuses in Endpoints and EndpointSlices (422), so they only retried that write,
     * about three times a second for a cluster's two Services, each with an Event; no test reads an Endpoints object.
     */
    static final String CONTROLLERS = "*,-nodeipam,-nodelifecycle,-cloud-node-lifecycle,-service,-route,-attachdetach,-persistentvolume-expander"
            + ",-endpoint,-endpointslice,-endpointslicemirroring";
    // kube-apiserver is ready in about 5 s on a quiet machine; a loaded one (a CI runner beside other work) took over 60 s.

    static {
        // A connection the API server drops mid-request (fabric8 reports it with no HTTP code, 0 or -1 by the path it took,
        // and its retries cover only IOExceptions, not Vert.x's "Connection was closed") fails one poll of an await, not the
        // test: the next poll asks again. A refusal with a status code still fails at once. Seen in CI in the rolling-change
        // system tests' rollout wait (RollingCluster.awaitRolledOut): once with code 0, and once, with four forks, with another.
        Awaitility.ignoreExceptionsByDefaultMatching(e -> e instanceof KubernetesClientException k && k.getCode() <= 0);
    }

    private final Path dir;
    private final String adminToken = UUID.randomUUID().toString().replace("-", "");
    private final int port;
    private final List<Process> processes = new ArrayList<>();
    private EtcdProcess etcd;
    private KubernetesClient admin;

    private ControlPlane(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Starts etcd and the API server, and the controller manager if asked; returns once the API is ready. */
    public static ControlPlane start(boolean withControllerManager) {
        Path apiServer = KubeBinaries.apiServer();
        Path controllerManager = withControllerManager ? KubeBinaries.controllerManager() : null;
        ControlPlane plane;
        try {
            plane = new ControlPlane(Files.createTempDirectory("kube-"), freePort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            plane.startApiServer(apiServer);
            if (controllerManager != null) {
                plane.startControllerManager(controllerManager);
            }
            return plane;
        } catch (IOException | RuntimeException e) {
            plane.close();
            throw e instanceof RuntimeException r ? r : new UncheckedIOException((IOException) e);
        }
    }

    private void startApiServer(Path binary) throws IOException {
        etcd = EtcdProcess.reserve("kube");
        etcd.startNewCluster();
        ServiceAccountKeys.writeTo(dir);
        Files.writeString(dir.resolve("tokens.csv"), adminToken + ",admin,1,\"system:masters\"\n");
        // Every write, and every read by a ServiceAccount (the operator, tools, members): how tests count
        // what a converged operator writes, and find any request RBAC or validation refused.
        Files.writeString(dir.resolve("audit-policy.yaml"), """
                apiVersion: audit.k8s.io/v1
                kind: Policy
                omitStages: ["RequestReceived"]
                rules:
                  - level: Metadata
                    userGroups: ["system:serviceaccounts"]
                  - level: None
                    verbs: ["get", "list", "watch"]
                  - level: Metadata
                """);
        launch("kube-apiserver", List.of(binary.toString(),
                "--etcd-servers=" + etcd.clientUrl(),
                "--bind-address=127.0.0.1", "--advertise-address=127.0.0.1", "--secure-port=" + port,
                "--cert-dir=" + dir.resolve("certs"),
                "--token-auth-file=" + dir.resolve("tokens.csv"),
                "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
                "--service-account-key-file=" + dir.resolve("sa.pub"),
                "--service-account-signing-key-file=" + dir.resolve("sa.key"),
                "--service-cluster-ip-range=198.19.0.0/16",
                "--authorization-mode=Node,RBAC",
                "--audit-policy-file=" + dir.resolve("audit-policy.yaml"),
                "--audit-log-path=" + auditLog(), "--audit-log-format=json"));
        ApiServerReadiness.await(url(), adminToken, processes, dir, "/readyz");
        // The API server creates the default namespace shortly after it reports ready; tests write there at once.
        ApiServerReadiness.await(url(), adminToken, processes, dir, "/api/v1/namespaces/default");
        admin = clientWithToken(adminToken);
        Files.writeString(kubeconfig(), Kubeconfig.of(url(), "admin", adminToken));
    }

    private void startControllerManager(Path binary) throws IOException {
        String kubeconfig = kubeconfig().toString();
        launch("kube-controller-manager", List.of(binary.toString(),
                "--kubeconfig=" + kubeconfig, "--authentication-kubeconfig=" + kubeconfig, "--authorization-kubeconfig=" + kubeconfig,
                "--service-account-private-key-file=" + dir.resolve("sa.key"),
                "--root-ca-file=" + dir.resolve("certs").resolve("apiserver.crt"),
                "--use-service-account-credentials=true", "--leader-elect=false",
                "--bind-address=127.0.0.1", "--secure-port=" + freePort(),
                "--controllers=" + CONTROLLERS,
                // The disruption and StatefulSet controllers react at once; the defaults suit a real cluster.
                "--concurrent-statefulset-syncs=5"));
    }

    /** The admin user (system:masters): for setting up and for reading what happened. Not for the operator. */
    public KubernetesClient admin() {
        return admin;
    }

    public String url() {
        return "https://127.0.0.1:" + port;
    }

    /** An admin kubeconfig, for kubectl and the controller manager. */
    public Path kubeconfig() {
        return dir.resolve("admin.kubeconfig");
    }

    public Path dir() {
        return dir;
    }

    /** The JSON-lines audit log: every write, and every read by a ServiceAccount, with user, object and response code. */
    public Path auditLog() {
        return dir.resolve("audit.log");
    }

    public AuditLog audit() {
        return new AuditLog(auditLog());
    }

    /** A token minted by TokenRequest for a ServiceAccount, valid for an hour: what a pod would mount. */
    public String tokenFor(String namespace, String serviceAccount) {
        TokenRequest request = new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build();
        return admin.serviceAccounts().inNamespace(namespace).withName(serviceAccount).tokenRequest(request).getStatus().getToken();
    }

    /** A client that acts as the ServiceAccount, with only the rights RBAC gives it. */
    public KubernetesClient clientAs(String namespace, String serviceAccount) {
        return clientWithToken(tokenFor(namespace, serviceAccount));
    }

    /** A kubeconfig that acts as the ServiceAccount, for a process such as the operator. */
    public String kubeconfigAs(String namespace, String serviceAccount) {
        return Kubeconfig.of(url(), namespace + "-" + serviceAccount, tokenFor(namespace, serviceAccount));
    }

    public KubernetesClient clientWithToken(String token) {
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl(url()).withOauthToken(token).withTrustCerts(true)
                .withRequestRetryBackoffLimit(3).build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    private void launch(String name, List<String> args) throws IOException {
        processes.add(new ProcessBuilder(args).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".log").toFile())).start());
    }

    @Override
    public void close() {
        if (admin != null) {
            admin.close();
        }
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).destroy();
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        if (etcd != null) {
            etcd.close();
        }
        if (!Boolean.getBoolean("kube.keep")) {
            deleteQuietly(dir);
        }
    }

    static int freePort() {
        return FreshPorts.take();
    }

    private static void deleteQuietly(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temp dir
        }
    }
}
