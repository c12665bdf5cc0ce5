package com.storageos.etcd.sandbox.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.desired.VoterGate;
import com.storageos.etcd.etcdclient.JetcdEtcdAdmin;
import com.storageos.etcd.etcdclient.JetcdEtcdAdminFactory;
import com.storageos.etcd.reconciler.etcdcluster.ContinuousWriter;
import com.storageos.etcd.sandbox.Sandbox;
import com.storageos.etcd.sandbox.SandboxCluster;
import com.storageos.etcd.tool.defrag.DefragCommand;
import com.storageos.etcd.toolcontract.MemberPaths;
import com.storageos.etcd.toolcontract.ToolEnv;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.cluster.Member;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two things a StorageOS user would notice, on one cluster, with the writer running throughout.
 *
 * <p>A learner is never behind the client Service: 2->3 with the operator stopped right after the learner is
 * added, so that the learner stays a learner while its etcd runs and passes its readiness probe (etcd's
 * /health answers true on a learner). Its pod must not be Ready (the client Service routes only to Ready pods)
 * until it is promoted; once the operator is back and promotes it, it is.
 *
 * <p>NOSPACE is no restart storm: the cluster filled to a 64 MiB quota keeps every member running and Ready
 * (restart counts unchanged over several liveness periods; every probe path of the pod spec answers), the
 * status says Degraded=True NoSpace, a scale-up waits, and after compaction, the defrag tool and its disarm,
 * writes are accepted again. The first member's defrag lasts longer than a minute while its probes run (its
 * container starved of CPU), and the kubelet does not restart it.
 */
class LearnerAndNospaceSystemIT {
    static final String NAME = "gated";
    /** Large enough that the live half left for the defrag takes its starved member well past a minute. */
    static final long QUOTA = 64 * 1024 * 1024;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    @TempDir
    Path root;

    @Test
    void aLearnerIsNeverServedAndNospaceRestartsNoMember() throws Exception {
        try (SandboxCluster c = SandboxCluster.start(root, NAME)) {
            c.create(SandboxCluster.yaml(NAME, 2, "  etcd: {quotaBackendBytes: " + QUOTA + "}\n  defrag: {schedule: \"0 3 * * *\"}\n"));
            c.awaitReady(2, Duration.ofSeconds(90));
            try (ContinuousWriter writer = new ContinuousWriter(c.clientUrls().subList(0, 2));
                 Client etcd = client(c.clientUrls().subList(0, 2))) {
                await().atMost(Duration.ofSeconds(30)).until(() -> writer.acknowledged().size() > 20);
                learnerStaysOutOfTheClientService(c, etcd);
                nospaceRestartsNoMember(c);
                Thread.sleep(500);
                writer.close();
                c.assertEveryAcknowledgedWriteReadable(writer.acknowledged(), 100);
                System.out.printf("learner and NOSPACE: longest write outage %d ms, %d acknowledged writes%n",
                        writer.longestOutageMillis(), writer.acknowledged().size());
            }
            assertThat(c.sandbox().plane().audit().refused(ConvergedSystemIT.OPERATOR)).as("refused requests").isEmpty();
        }
    }

    private static void learnerStaysOutOfTheClientService(SandboxCluster c, Client etcd) throws Exception {
        String learnerPod = c.names().member(2);
        List<String> servedWhileLearner = new CopyOnWriteArrayList<>();
        List<String> servedEver = new CopyOnWriteArrayList<>();
        ExecutorService checker = Executors.newSingleThreadExecutor();
        // Each sighting of the learner's pod as Ready is checked against etcd right after it: a member is never
        // demoted, so a learner then was a learner when the sighting happened. Ready is what the client Service's
        // endpoint controllers select by; the sandbox's Endpoints and EndpointSlices themselves stay empty, as its
        // pod IPs are loopback addresses, which the API server does not take as endpoints.
        Consumer<String> sighting = what -> {
            servedEver.add(what);
            checker.execute(() -> member(etcd, learnerPod).filter(Member::isLearner)
                    .ifPresent(m -> servedWhileLearner.add(what + " while etcd listed it as a learner")));
        };
        var client = c.sandbox().client();
        List<Watch> watches = new ArrayList<>();
        try {
            watches.add(client.pods().inNamespace(Sandbox.NAMESPACE).withName(learnerPod).watch(watcher(pod -> {
                if ("True".equals(condition(pod, "Ready").map(PodCondition::getStatus).orElse(""))) {
                    sighting.accept("pod Ready");
                }
            })));

            long t0 = System.nanoTime();
            c.scale(3);
            // The journal names the added learner: the pod's bootstrap joins it from there, no operator needed.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> {
                var change = c.cluster().getStatus().getPendingChange();
                return change != null && "MemberAdded".equals(change.getPhase());
            });
            // Nobody promotes it now: the learner stays a learner while it runs. SIGTERM releases the Lease, so the
            // next operator leads as soon as it starts.
            c.sandbox().operator().terminate(Duration.ofSeconds(10));
            var sts = client.apps().statefulSets().inNamespace(Sandbox.NAMESPACE).withName(c.names().statefulSet());
            if (sts.get().getSpec().getReplicas() < 3) {
                sts.scale(3); // the operator's next step, by hand
            }
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                assertThat(member(etcd, learnerPod)).as("the learner runs").hasValueSatisfying(m -> assertThat(m.isLearner()).isTrue());
                assertThat(condition(client.pods().inNamespace(Sandbox.NAMESPACE).withName(learnerPod).get(), "ContainersReady"))
                        .as("the learner's readiness probe passes").hasValueSatisfying(x -> assertThat(x.getStatus()).isEqualTo("True"));
            });
            long learnerReady = SandboxCluster.millisSince(t0);
            Thread.sleep(6_000); // more readiness periods: the learner stays unready however long it runs
            Pod learner = client.pods().inNamespace(Sandbox.NAMESPACE).withName(learnerPod).get();
            assertThat(condition(learner, "Ready")).as("the learner's pod").hasValueSatisfying(x -> {
                assertThat(x.getStatus()).isEqualTo("False");
                assertThat(x.getReason()).isEqualTo("ReadinessGatesNotReady");
            });
            assertThat(member(etcd, learnerPod)).as("still a learner").hasValueSatisfying(m -> assertThat(m.isLearner()).isTrue());
            assertThat(servedEver).as("the learner seen Ready while no operator could promote it").isEmpty();

            long t1 = System.nanoTime();
            c.sandbox().startOperator();
            c.awaitReady(3, Duration.ofSeconds(90));
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                Pod promoted = client.pods().inNamespace(Sandbox.NAMESPACE).withName(learnerPod).get();
                assertThat(condition(promoted, VoterGate.CONDITION)).hasValueSatisfying(x -> assertThat(x.getReason()).isEqualTo("Voter"));
                assertThat(condition(promoted, "Ready")).hasValueSatisfying(x -> assertThat(x.getStatus()).isEqualTo("True"));
            });
            long servedAfterRestart = SandboxCluster.millisSince(t1);
            checker.shutdown();
            assertThat(checker.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            System.out.printf("learner: its probe passed %d ms after the scale, its pod stayed unready while a learner;"
                    + " promoted and Ready %d ms after the operator came back (%d Ready sightings, all once a voter)%n",
                    learnerReady, servedAfterRestart, servedEver.size());
            assertThat(servedWhileLearner).as("the learner's pod Ready before its promotion").isEmpty();
            assertThat(servedEver).as("the promoted member was seen Ready").isNotEmpty();
        } finally {
            watches.forEach(Watch::close);
            checker.shutdownNow();
        }
    }

    private static void nospaceRestartsNoMember(SandboxCluster c) throws Exception {
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
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
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
        } catch (java.io.IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static Optional<Member> member(Client etcd, String name) {
        try {
            return etcd.getClusterClient().listMember().get(2, TimeUnit.SECONDS).getMembers().stream()
                    .filter(m -> name.equals(m.getName())).findFirst();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    private static Optional<PodCondition> condition(Pod pod, String type) {
        return pod == null || pod.getStatus() == null ? Optional.empty()
                : pod.getStatus().getConditions().stream().filter(x -> type.equals(x.getType())).findFirst();
    }

    private static Optional<io.fabric8.kubernetes.api.model.Condition> condition(EtcdCluster cluster, String type) {
        return cluster.getStatus() == null ? Optional.empty()
                : cluster.getStatus().getConditions().stream().filter(x -> type.equals(x.getType())).findFirst();
    }

    private static Client client(List<String> urls) {
        return Client.builder().endpoints(urls.stream().map(URI::create).toArray(URI[]::new)).build();
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    private static <T> Watcher<T> watcher(Consumer<T> onEvent) {
        return new Watcher<>() {
            @Override
            public void eventReceived(Action action, T resource) {
                if (action != Action.DELETED) {
                    onEvent.accept(resource);
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        };
    }
}
