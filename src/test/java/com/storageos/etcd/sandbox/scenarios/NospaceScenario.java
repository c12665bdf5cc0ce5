package com.storageos.etcd.sandbox.scenarios;

import static com.storageos.etcd.sandbox.scenarios.LearnerAndNospaceSystemIT.NAME;
import static com.storageos.etcd.sandbox.scenarios.LearnerAndNospaceSystemIT.QUOTA;
import static com.storageos.etcd.sandbox.scenarios.LearnerAndNospaceSystemIT.client;
import static com.storageos.etcd.sandbox.scenarios.LearnerAndNospaceSystemIT.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.etcdclient.JetcdEtcdAdmin;
import com.storageos.etcd.etcdclient.JetcdEtcdAdminFactory;
import com.storageos.etcd.sandbox.Sandbox;
import com.storageos.etcd.sandbox.SandboxCluster;
import com.storageos.etcd.tool.defrag.DefragCommand;
import com.storageos.etcd.toolcontract.MemberPaths;
import com.storageos.etcd.toolcontract.ToolEnv;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The NOSPACE half of {@link LearnerAndNospaceSystemIT}: etcd filled until it refuses writes, every member's probes passing
 * and no container restarted under the alarm, then the cure (delete, compact, a defrag starved past the old liveness
 * budget, disarm).
 */
final class NospaceScenario {
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private NospaceScenario() {
    }

    static void nospaceRestartsNoMember(SandboxCluster c) throws Exception {
        var client = c.sandbox().client();
        try (Client kv = client(c.clientUrls().subList(0, 3))) {
            long t0 = System.nanoTime();
            int filled = fillUntilRefused(kv);
            Map<String, Integer> restarts = restartCounts(c);
            assertThat(restarts).hasSize(3);
            c.patchReplicas(4);
            // At least 20 s: two liveness periods and four readiness periods (readiness fails out after three), every
            // member's probes passing throughout; and on until the status has reported the alarm.
            long windowEnd = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            long degraded = -1;
            boolean scaleUpWaited = false;
            while (System.nanoTime() < windowEnd || degraded < 0 || !scaleUpWaited) {
                assertThat(SandboxCluster.millisSince(t0)).as("NOSPACE reported and the scale-up held within a minute").isLessThan(60_000);
                for (Pod pod : memberPods(c)) {
                    assertThat(condition(pod, "Ready")).as("%s Ready under NOSPACE", pod.getMetadata().getName())
                            .hasValueSatisfying(x -> assertThat(x.getStatus()).isEqualTo("True"));
                    var etcdContainer = pod.getSpec().getContainers().get(0);
                    for (Probe probe : List.of(etcdContainer.getStartupProbe(), etcdContainer.getLivenessProbe(), etcdContainer.getReadinessProbe())) {
                        String url = "http://" + pod.getStatus().getPodIP() + ":" + MemberPaths.METRICS_PORT + probe.getHttpGet().getPath();
                        assertThat(status(url)).as("%s under NOSPACE", url).isEqualTo(200);
                    }
                }
                assertThat(restartCounts(c)).as("container restarts under NOSPACE").isEqualTo(restarts);
                EtcdCluster now = c.cluster();
                assertThat(now.getStatus().getMembers()).as("no member added under NOSPACE").hasSize(3);
                boolean noSpace = condition(now, "Degraded").map(x -> "True".equals(x.getStatus()) && "NoSpace".equals(x.getReason())).orElse(false);
                if (noSpace && degraded < 0) {
                    degraded = SandboxCluster.millisSince(t0);
                }
                scaleUpWaited |= condition(now, "Progressing").map(x -> "NoSpace".equals(x.getReason())).orElse(false);
                Thread.sleep(1000);
            }
            c.patchReplicas(3);

            long t1 = System.nanoTime();
            // Every other key goes: the db keeps a live half for the defrag to copy, and space comes back only through it.
            long revision = 0;
            for (int i = 0; i < filled; i += 2) {
                revision = kv.getKVClient().delete(bytes("fill/" + i)).get(5, TimeUnit.SECONDS).getHeader().getRevision();
            }
            kv.getKVClient().compact(revision).get(10, TimeUnit.SECONDS);
            long defragMillis = defragOutlastingTheOldLivenessBudget(c);
            kv.getKVClient().put(bytes("after-defrag"), bytes("accepted")).get(5, TimeUnit.SECONDS);
            long writable = SandboxCluster.millisSince(t1);
            c.awaitReady(3, Duration.ofSeconds(30));
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                    assertThat(condition(c.cluster(), "Degraded")).hasValueSatisfying(x -> assertThat(x.getReason()).isNotEqualTo("NoSpace")));
            System.out.printf("NOSPACE: Degraded=NoSpace %d ms after the fill began, %d s under the alarm with restart counts %s unchanged,"
                    + " cured (delete, compact, defrag, disarm) and writable in %d ms, the first member's defrag lasting %d ms%n", degraded,
                    Duration.ofNanos(t1 - t0).toSeconds(), restarts, writable, defragMillis);
        }
    }

    /**
     * Issue 25: the tool defragments the first member (a follower) while the sandbox's kubelet probes it, and its defrag is
     * made to outlast the old liveness budget (6 failures 10 s apart: a restart 53-63 s in) by starving its container of
     * CPU ({@link StarvedDefrag}). The member is not restarted, the defrag completes and NOSPACE is disarmed.
     * Returns how long the first member's defrag took.
     */
    private static long defragOutlastingTheOldLivenessBudget(SandboxCluster c) throws Exception {
        var client = c.sandbox().client();
        String first;
        try (var admin = new JetcdEtcdAdminFactory(Duration.ofSeconds(5)).connect(c.clientUrls().subList(0, 3))) {
            first = IntStream.range(0, 3).filter(i -> !admin.status(c.clientUrls().get(i)).isLeader()).mapToObj(i -> c.names().member(i))
                    .findFirst().orElseThrow(); // DefragPlan: followers first, by name
        }
        Map<String, Integer> restarts = restartCounts(c);
        String metrics = "http://" + client.pods().inNamespace(Sandbox.NAMESPACE).withName(first).get().getStatus().getPodIP()
                + ":" + MemberPaths.METRICS_PORT;
        int exit;
        try (StarvedDefrag starved = StarvedDefrag.watch(c.sandbox().node(), Sandbox.NAMESPACE, first, metrics, Duration.ofSeconds(70))) {
            // The tool's own deadlines (ToolRunner): 5 s calls, 30 min for a defrag, bounded by spec.defrag.timeoutSeconds (300).
            exit = new DefragCommand(() -> client, (urls, tls) -> new JetcdEtcdAdmin(urls, Duration.ofSeconds(5), Duration.ofMinutes(30), tls),
                    Clock.systemUTC()).run(List.of(), Map.of(ToolEnv.NAMESPACE, Sandbox.NAMESPACE, ToolEnv.CLUSTER_NAME, NAME,
                    ToolEnv.ENDPOINTS, String.join(",", c.clientUrls().subList(0, 3))));
            assertThat(starved.starved()).as("%s's defrag caught in flight", first).isTrue();
        }
        var lastDefrag = c.cluster().getStatus().getLastDefrag();
        assertThat(restartCounts(c)).as("restart counts after a defrag that outlasted the old liveness budget (%s)", lastDefrag.getMembers()
                .stream().map(m -> m.getName() + "=" + m.getOutcome()).toList()).isEqualTo(restarts);
        assertThat(exit).as("tool defrag: %s", lastDefrag.getOutcome()).isZero();
        long millis = lastDefrag.getMembers().stream().filter(m -> m.getName().equals(first)).findFirst().orElseThrow().getDurationMillis();
        assertThat(millis).as("%s's defrag outlasted the old liveness budget", first).isGreaterThan(65_000);
        return millis;
    }

    /** 512 KiB values until etcd refuses with NOSPACE; returns how many were written. */
    private static int fillUntilRefused(Client kv) throws InterruptedException {
        ByteSequence value = ByteSequence.from(new byte[512 * 1024]);
        for (int i = 0; i < 400; i++) {
            try {
                kv.getKVClient().put(bytes("fill/" + i), value).get(5, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                if (String.valueOf(e.getMessage()).contains("database space exceeded")) {
                    return i;
                }
            }
        }
        throw new AssertionError("etcd never refused a write at a " + QUOTA + " byte quota");
    }

    private static Map<String, Integer> restartCounts(SandboxCluster c) {
        return memberPods(c).stream().collect(Collectors.toMap(p -> p.getMetadata().getName(),
                p -> p.getStatus().getContainerStatuses().get(0).getRestartCount()));
    }

    private static List<Pod> memberPods(SandboxCluster c) {
        return c.sandbox().client().pods().inNamespace(Sandbox.NAMESPACE).list().getItems().stream()
                .filter(p -> p.getMetadata().getName().startsWith(NAME + "-")).toList();
    }

    private static int status(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }
}
