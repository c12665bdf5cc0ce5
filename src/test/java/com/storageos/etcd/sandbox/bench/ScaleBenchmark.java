package com.storageos.etcd.sandbox.bench;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.naming.PerClusterLoopbackAddressing;
import com.storageos.etcd.sandbox.PrometheusScrape;
import com.storageos.etcd.sandbox.Sandbox;
import com.storageos.etcd.sandbox.SandboxCluster;
import com.storageos.etcd.sandbox.node.SandboxNode;
import com.storageos.etcd.testing.kube.AuditLog;
import com.storageos.etcd.testing.kube.OperatorInstall;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/**
 * {@code sandbox bench --clusters N}: one operator, N EtcdClusters of one member each, each a real etcd
 * process, on the real API server. Prints the time until all are Ready, the operator's memory, and what a
 * converged operator costs over a quiet window: API requests (from the audit log), reconcile times (the
 * operator's own JOSDK timer, from /q/metrics) and status writes per reconcile. A benchmark: it asserts nothing.
 */
public final class ScaleBenchmark {
    private static final String OPERATOR = AuditLog.serviceAccountUser(OperatorInstall.NAMESPACE, "etcd-operator");
    private static final String RECONCILE = PrometheusScrape.RECONCILE_TIMER;
    private static final String CONTROLLER = PrometheusScrape.ETCDCLUSTER_CONTROLLER;
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(20);
    /** Longer than the status's last settling writes after Ready (the PDB's status, the last probe). */
    private static final Duration SETTLE = Duration.ofSeconds(40);
    /** Four resync periods: every cluster reconciles at least four times with nothing changed. */
    private static final Duration WINDOW = Duration.ofMinutes(2);

    private ScaleBenchmark() {
    }

    public static int run(int clusters) throws Exception {
        if (clusters < 1 || clusters > 255) {
            throw new IllegalArgumentException("--clusters takes 1 to 255 (each cluster needs its own loopback octet)");
        }
        Path dir = Files.createTempDirectory("etcd-scale-bench-");
        var addressing = new PerClusterLoopbackAddressing(ThreadLocalRandom.current().nextInt(2, 250));
        try (Sandbox sandbox = new Sandbox(dir, addressing)) {
            sandbox.start();
            System.out.printf("bench: sandbox up, operator pid %d (log %s)%n", sandbox.operator().pid(), sandbox.operator().log());
            List<String> names = names(clusters);
            long start = System.nanoTime();
            for (String name : names) {
                String yaml = SandboxCluster.yaml(name, 1, "");
                sandbox.apply(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
            }
            long readyMillis = awaitAllReady(sandbox, clusters, start);
            long rssAtReady = rssKib(sandbox.operator().pid(), "VmRSS");
            Thread.sleep(SETTLE.toMillis());

            int auditBefore = sandbox.plane().audit().entries().size();
            PrometheusScrape before = PrometheusScrape.of(sandbox.operator().get("/q/metrics"));
            Thread.sleep(WINDOW.toMillis());
            PrometheusScrape after = PrometheusScrape.of(sandbox.operator().get("/q/metrics"));
            List<AuditLog.Entry> entries = sandbox.plane().audit().entries();
            List<AuditLog.Entry> window = entries.subList(auditBefore, entries.size()).stream()
                    .filter(e -> e.user().equals(OPERATOR) && !"watch".equals(e.verb())).toList();
            print(clusters, readyMillis, rssAtReady, sandbox, before, after, window);
        } finally {
            SandboxNode.deleteTree(dir);
        }
        return 0;
    }

    /** scale-0, scale-1, …, skipping a name whose loopback octet an earlier one already has. */
    static List<String> names(int clusters) {
        Set<Integer> octets = new HashSet<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; names.size() < clusters; i++) {
            String name = "scale-" + i;
            if (octets.add(PerClusterLoopbackAddressing.octet(new ClusterNames(name, Sandbox.NAMESPACE)))) {
                names.add(name);
            }
        }
        return names;
    }

    private static long awaitAllReady(Sandbox sandbox, int clusters, long start) throws InterruptedException {
        long lastReport = 0;
        while (true) {
            List<EtcdCluster> all = sandbox.client().resources(EtcdCluster.class).inNamespace(Sandbox.NAMESPACE).list().getItems();
            long ready = all.stream().filter(c -> OperatorScenarios.ready(c, 1)).count();
            long elapsed = SandboxCluster.millisSince(start);
            if (ready == clusters) {
                System.out.printf("bench: all %d Ready after %.1f s%n", clusters, elapsed / 1000.0);
                return elapsed;
            }
            if (elapsed - lastReport >= 10_000) {
                lastReport = elapsed;
                System.out.printf("bench: %d/%d Ready after %d s, operator RSS %d MiB%n", ready, clusters, elapsed / 1000,
                        rssKib(sandbox.operator().pid(), "VmRSS") / 1024);
            }
            if (elapsed > READY_TIMEOUT.toMillis()) {
                throw new IllegalStateException(ready + " of " + clusters + " Ready after " + READY_TIMEOUT + "; logs under "
                        + sandbox.root());
            }
            Thread.sleep(2000);
        }
    }

    private static void print(int clusters, long readyMillis, long rssAtReady, Sandbox sandbox, PrometheusScrape before,
                              PrometheusScrape after, List<AuditLog.Entry> window) throws IOException {
        long pid = sandbox.operator().pid();
        double minutes = WINDOW.toSeconds() / 60.0;
        double reconciles = after.sum(RECONCILE + "_count", CONTROLLER) - before.sum(RECONCILE + "_count", CONTROLLER);
        TreeMap<Double, Double> converged = PrometheusScrape.minus(after.buckets(RECONCILE, CONTROLLER), before.buckets(RECONCILE, CONTROLLER));
        TreeMap<Double, Double> whole = after.buckets(RECONCILE, CONTROLLER);
        long statusWrites = window.stream().filter(e -> e.write() && "etcdclusters".equals(e.resource())).count();
        long leases = window.stream().filter(e -> "leases".equals(e.resource())).count();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"EtcdClusters (1 member each, real etcd)", Integer.toString(clusters)});
        rows.add(new String[] {"time until all Ready", String.format("%.1f s", readyMillis / 1000.0)});
        rows.add(new String[] {"operator RSS when all Ready / peak / after the window", String.format("%d / %d / %d MiB",
                rssAtReady / 1024, rssKib(pid, "VmHWM") / 1024, rssKib(pid, "VmRSS") / 1024)});
        rows.add(new String[] {"operator heap used / committed / max", String.format("%d / %d / %d MiB",
                mib(after.sum("jvm_memory_used_bytes", "area=\"heap\"")), mib(after.sum("jvm_memory_committed_bytes", "area=\"heap\"")),
                mib(after.sum("jvm_memory_max_bytes", "area=\"heap\"")))});
        rows.add(new String[] {"operator non-heap used (metaspace, code cache)", String.format("%d MiB",
                mib(after.sum("jvm_memory_used_bytes", "area=\"nonheap\"")))});
        rows.add(new String[] {"converged: reconciles per minute", String.format("%.0f", reconciles / minutes)});
        rows.add(new String[] {"converged: API requests per minute (no watches, no Lease)",
                String.format("%.0f", (window.size() - leases) / minutes)});
        rows.add(new String[] {"converged: write requests per minute (no Lease)",
                String.format("%.0f", window.stream().filter(e -> e.write() && !"leases".equals(e.resource())).count() / minutes)});
        rows.add(new String[] {"converged: status writes per reconcile", String.format("%.2f", reconciles == 0 ? 0 : statusWrites / reconciles)});
        rows.add(new String[] {"converged: reconcile p50 / p99", ms(PrometheusScrape.quantile(0.5, converged)) + " / "
                + ms(PrometheusScrape.quantile(0.99, converged))});
        rows.add(new String[] {"whole run (incl. bootstrap): reconcile p50 / p99", ms(PrometheusScrape.quantile(0.5, whole)) + " / "
                + ms(PrometheusScrape.quantile(0.99, whole))});
        int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
        System.out.println();
        rows.forEach(r -> System.out.printf("| %-" + width + "s | %s |%n", r[0], r[1]));
        System.out.println();
        System.out.printf("Requests by the operator in the %d s converged window, by verb and resource:%n", WINDOW.toSeconds());
        Map<String, Long> byKind = window.stream().collect(Collectors.groupingBy(
                e -> e.verb() + " " + e.resource() + (e.subresource() == null ? "" : "/" + e.subresource()), TreeMap::new, Collectors.counting()));
        byKind.forEach((kind, n) -> System.out.printf("  %-40s %d%n", kind, n));
        System.out.println("Reconcile times are JOSDK's own timer (" + RECONCILE + "), p50/p99 interpolated");
        System.out.println("inside its buckets as histogram_quantile does; requests are the API server's audit log of the operator's account.");
    }

    /** A line of /proc/<pid>/status in KiB: VmRSS now, VmHWM the peak. */
    private static long rssKib(long pid, String field) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream().filter(l -> l.startsWith(field + ":"))
                    .map(l -> l.replaceAll("[^0-9]", "")).mapToLong(Long::parseLong).findFirst().orElse(-1);
        } catch (IOException e) {
            return -1;
        }
    }

    private static long mib(double bytes) {
        return Math.round(bytes / (1024 * 1024));
    }

    private static String ms(double seconds) {
        return Double.isNaN(seconds) ? "-" : String.format("%.0f ms", seconds * 1000);
    }
}
