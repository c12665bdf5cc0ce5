package com.storageos.etcd.sandbox;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.sandbox.bench.SandboxBenchmark;
import com.storageos.etcd.sandbox.bench.ScaleBenchmark;
import com.storageos.etcd.sandbox.node.SandboxNode;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * {@code SandboxMain [--chaos|--tls|--migrate]}: starts a sandbox, applies the example EtcdCluster (with --tls the one
 * with mutual TLS on both ports; with --migrate, one
 * that takes over an external etcd cluster, see {@link SandboxMigration}) and prints its
 * progress like {@code kubectl get etcdcluster -w} until Ctrl-C, which stops every process.
 * {@code status} prints the table once, through the running sandbox's kubeconfig; {@code bench} runs
 * {@link SandboxBenchmark} ({@code bench --only TEXT} the scenarios named with TEXT), {@code bench --clusters N} the {@link ScaleBenchmark} of one operator with N clusters.
 */
public final class SandboxMain {
    static final Path ROOT = Path.of("target", "sandbox");
    static final Path EXAMPLE = Path.of("deploy", "examples", "etcdcluster.yaml");
    static final Path TLS_EXAMPLE = Path.of("deploy", "examples", "etcdcluster-tls.yaml");

    private SandboxMain() {
    }

    public static void main(String... args) throws Exception {
        System.exit(run(Arrays.asList(args)));
    }

    static int run(List<String> args) throws Exception {
        if (args.contains("status")) {
            return status();
        }
        if (args.contains("bench")) {
            int at = args.indexOf("--clusters");
            int only = args.indexOf("--only");
            return at >= 0 && at + 1 < args.size() ? ScaleBenchmark.run(Integer.parseInt(args.get(at + 1)))
                    : SandboxBenchmark.run(only >= 0 && only + 1 < args.size() ? args.get(only + 1) : "");
        }
        SandboxNode.deleteTree(ROOT);
        // Its own loopback prefix, so that a sandbox never collides with a test run on the same machine.
        var addressing = SandboxBenchmark.freshAddressing();
        long t0 = System.nanoTime();
        Sandbox sandbox = new Sandbox(ROOT, addressing);
        boolean migrate = args.contains("--migrate");
        if (migrate) {
            sandbox.withCrd(SandboxMigration.STORAGEOS_CRD);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(sandbox::close, "sandbox-shutdown"));
        sandbox.start();
        System.out.printf("sandbox: kube-apiserver %s up with the operator in %d s; kubectl --kubeconfig %s get etcdcluster -w%n",
                sandbox.plane().url(), (System.nanoTime() - t0) / 1_000_000_000, sandbox.kubeconfig());
        System.out.printf("sandbox: operator log %s; members on 127.%d.%d.1<ordinal>, their logs and volumes under %s%n",
                sandbox.operator().log(), addressing.a(), addressing.b(), ROOT);
        if (migrate) {
            watch(sandbox.client(), SandboxMigration.start(sandbox));
            return 0;
        }
        EtcdCluster cluster;
        Path example = args.contains("--tls") ? TLS_EXAMPLE : EXAMPLE;
        try (InputStream in = Files.newInputStream(example)) {
            cluster = sandbox.apply(in);
        }
        System.out.println("sandbox: applied " + example + "; Ctrl-C stops the operator, the control plane and every etcd process");
        if (args.contains("--chaos")) {
            Thread chaos = new Thread(() -> {
                try {
                    new Chaos(sandbox, cluster.getMetadata().getName(), System.out::println).run();
                } catch (Exception e) {
                    System.out.println("chaos: " + e);
                }
            }, "chaos");
            chaos.setDaemon(true);
            chaos.start();
        }
        watch(sandbox.client(), cluster.getMetadata().getName());
        return 0;
    }

    private static void watch(KubernetesClient client, String name) throws InterruptedException {
        Instant since = Instant.now();
        String last = "";
        System.out.println(ClusterTable.HEADER);
        while (true) {
            EtcdCluster c = client.resources(EtcdCluster.class).inNamespace(Sandbox.NAMESPACE).withName(name).get();
            if (c != null && !ClusterTable.content(c).equals(last)) {
                last = ClusterTable.content(c);
                System.out.println(ClusterTable.row(c, since));
            }
            Thread.sleep(200);
        }
    }

    private static int status() throws Exception {
        Path kubeconfig = ROOT.resolve("kubeconfig");
        if (!Files.exists(kubeconfig)) {
            System.err.println("no sandbox is running here (" + kubeconfig + " is missing)");
            return 1;
        }
        Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
            System.out.println(ClusterTable.HEADER);
            for (EtcdCluster c : client.resources(EtcdCluster.class).inNamespace(Sandbox.NAMESPACE).list().getItems()) {
                System.out.println(ClusterTable.row(c, c.getMetadata().getCreationTimestamp() == null ? Instant.now()
                        : Instant.parse(c.getMetadata().getCreationTimestamp())));
            }
        }
        return 0;
    }
}
