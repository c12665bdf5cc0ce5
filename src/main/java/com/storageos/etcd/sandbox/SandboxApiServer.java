package com.storageos.etcd.sandbox;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;

/**
 * An in-process Kubernetes API: fabric8's mock server in CRUD mode (objects are stored, listed,
 * watched and deleted; no controllers, no admission, no server-side apply). Listens on a free
 * loopback port, plain HTTP.
 */
public final class SandboxApiServer implements AutoCloseable {
    /** The mock server logs every request at INFO; held here because JUL keeps loggers only weakly. */
    private static final java.util.logging.Logger REQUEST_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");
    private final KubernetesMockServer server;

    private SandboxApiServer(KubernetesMockServer server) {
        this.server = server;
    }

    public static SandboxApiServer start() {
        REQUEST_LOG.setLevel(java.util.logging.Level.WARNING);
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        return new SandboxApiServer(server);
    }

    public String url() {
        return "http://" + server.getHostName() + ":" + server.getPort();
    }

    /** A new client; each user gets its own so that stopping one (the operator) leaves the others working. */
    public KubernetesClient newClient() {
        return server.createClient();
    }

    /** A kubeconfig for kubectl and for {@code sandbox status}: no credentials, plain HTTP. */
    public Path writeKubeconfig(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: sandbox
                  cluster:
                    server: %s
                contexts:
                - name: sandbox
                  context:
                    cluster: sandbox
                    user: sandbox
                    namespace: default
                current-context: sandbox
                users:
                - name: sandbox
                  user: {}
                """.formatted(url()));
        return file;
    }

    @Override
    public void close() {
        server.destroy();
    }
}
