package com.storageos.etcd.sandbox.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.desired.VoterGate;
import com.storageos.etcd.reconciler.etcdcluster.ContinuousWriter;
import com.storageos.etcd.sandbox.Sandbox;
import com.storageos.etcd.sandbox.SandboxCluster;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.cluster.Member;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
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
                NospaceScenario.nospaceRestartsNoMember(c);
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
        // endpoint controllers select by; the sandbox runs none (ControlPlane), as its pod IPs are loopback addresses,
        // which the API server does not take as endpoints.
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

    private static Optional<Member> member(Client etcd, String name) {
        try {
            return etcd.getClusterClient().listMember().get(2, TimeUnit.SECONDS).getMembers().stream()
                    .filter(m -> name.equals(m.getName())).findFirst();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    static Optional<PodCondition> condition(Pod pod, String type) {
        return pod == null || pod.getStatus() == null ? Optional.empty()
                : pod.getStatus().getConditions().stream().filter(x -> type.equals(x.getType())).findFirst();
    }

    static Optional<Condition> condition(EtcdCluster cluster, String type) {
        return cluster.getStatus() == null ? Optional.empty()
                : cluster.getStatus().getConditions().stream().filter(x -> type.equals(x.getType())).findFirst();
    }

    static Client client(List<String> urls) {
        return Client.builder().endpoints(urls.stream().map(URI::create).toArray(URI[]::new)).build();
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
