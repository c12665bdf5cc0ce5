package com.storageos.etcd.sandbox.bench;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Where a scenario's time goes: what the API server and etcd showed, in the order this process saw it, in ms from
 * {@link #begin()} (the change). Facts come from watches (the journal and conditions the operator wrote, its events, the
 * StatefulSet, each pod's binding, init container, etcd container and readiness) and from asking every member's
 * {@code /health} every 50 ms. Facts already true before {@link #begin()} are the baseline and are not printed.
 */
final class Timeline implements AutoCloseable {
    private static final Duration HEALTH_TIMEOUT = Duration.ofMillis(300);

    private record Mark(long millis, String what) {
    }

    private final List<Mark> marks = new ArrayList<>();
    /** Per subject (a pod's UID, a member's URL, a condition type), the facts last seen, to mark only what changed. */
    private final Map<String, Set<String>> seen = new HashMap<>();
    private final List<Watch> watches = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(HEALTH_TIMEOUT).build();
    private final Thread poller;
    private volatile long start = Long.MAX_VALUE;
    private volatile boolean running = true;

    Timeline(KubernetesClient client, String namespace, Map<String, String> healthUrls) throws InterruptedException {
        watches.add(client.resources(EtcdCluster.class).inNamespace(namespace).watch(watcher(this::clusterFacts)));
        watches.add(client.apps().statefulSets().inNamespace(namespace).watch(watcher(Timeline::statefulSetFacts)));
        watches.add(client.pods().inNamespace(namespace).watch(watcher(Timeline::podFacts)));
        watches.add(client.v1().events().inNamespace(namespace).watch(watcher(Timeline::eventFacts)));
        poller = new Thread(() -> pollHealth(healthUrls), "bench-timeline-health");
        poller.setDaemon(true);
        poller.start();
        Thread.sleep(500); // the watches' initial state and a first round of health answers form the baseline
    }

    /** From now on, what changes is marked, in ms from now. */
    void begin() {
        start = System.nanoTime();
    }

    /** A fact this timeline cannot watch for, seen by the caller at {@code nanoTime}. */
    void mark(long nanoTime, String what) {
        synchronized (marks) {
            marks.add(new Mark((nanoTime - start) / 1_000_000, what));
        }
    }

    /** The marks since {@link #begin()}, one line each. */
    List<String> lines() {
        synchronized (marks) {
            return marks.stream().sorted(Comparator.comparingLong(Mark::millis))
                    .map(m -> String.format("%8d ms  %s", m.millis(), m.what())).toList();
        }
    }

    private <T extends HasMetadata> Watcher<T> watcher(Function<T, Map<String, Set<String>>> facts) {
        return new Watcher<>() {
            @Override
            public void eventReceived(Action action, T object) {
                if (action == Action.DELETED) {
                    facts.apply(object).keySet().forEach(subject -> observe(subject, Set.of("deleted")));
                } else {
                    facts.apply(object).forEach(Timeline.this::observe);
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        };
    }

    /** Marks each fact of {@code subject} not seen in its previous facts. */
    private void observe(String subject, Set<String> facts) {
        long now = System.nanoTime();
        synchronized (marks) {
            Set<String> before = seen.getOrDefault(subject, Set.of());
            if (now >= start) {
                facts.stream().filter(f -> !before.contains(f))
                        .forEach(f -> marks.add(new Mark((now - start) / 1_000_000, subject + ": " + f)));
            }
            seen.put(subject, facts);
        }
    }

    /** The journal entry (what the reconcile decided), each condition, and each member's role and health. */
    private Map<String, Set<String>> clusterFacts(EtcdCluster c) {
        Map<String, Set<String>> facts = new HashMap<>();
        String name = "EtcdCluster " + c.getMetadata().getName();
        if (c.getStatus() == null) {
            return facts;
        }
        facts.put(name + " journal", Optional.ofNullable(c.getStatus().getPendingChange())
                .map(p -> Set.of(p.getOperation() + " " + Optional.ofNullable(p.getPhase()).orElse("") + " " + Optional.ofNullable(p.getMemberName()).orElse("")))
                .orElse(Set.of("closed")));
        Optional.ofNullable(c.getStatus().getConditions()).orElse(List.of()).forEach(cond -> facts.put(name + " " + cond.getType(),
                Set.of(cond.getStatus() + " (" + cond.getReason() + ")")));
        Optional.ofNullable(c.getStatus().getMembers()).orElse(List.of()).forEach(m -> facts.put(name + " member " + m.getName(),
                Set.of(m.getRole() + (Boolean.TRUE.equals(m.getHealthy()) ? ", healthy" : ", not healthy"))));
        return facts;
    }

    private static Map<String, Set<String>> statefulSetFacts(StatefulSet s) {
        return Map.of("StatefulSet " + s.getMetadata().getName(), Set.of("written: generation " + s.getMetadata().getGeneration()
                + ", replicas " + s.getSpec().getReplicas()));
    }

    /** Per pod incarnation: created, bound, each container's state with its restarts, Ready. */
    private static Map<String, Set<String>> podFacts(Pod p) {
        Set<String> facts = new LinkedHashSet<>();
        facts.add("created (uid " + p.getMetadata().getUid().substring(0, 8) + ")");
        Optional.ofNullable(p.getSpec().getNodeName()).ifPresent(n -> facts.add("bound to " + n));
        if (p.getStatus() != null) {
            Optional.ofNullable(p.getStatus().getInitContainerStatuses()).orElse(List.of()).forEach(s -> facts.add("init " + state(s)));
            Optional.ofNullable(p.getStatus().getContainerStatuses()).orElse(List.of()).forEach(s -> facts.add(state(s)));
            Optional.ofNullable(p.getStatus().getConditions()).orElse(List.of()).stream().filter(c -> "Ready".equals(c.getType()))
                    .forEach(c -> facts.add("True".equals(c.getStatus()) ? "Ready" : "not Ready"));
        }
        return Map.of("pod " + p.getMetadata().getName(), facts);
    }

    private static String state(ContainerStatus s) {
        String restarts = s.getRestartCount() == null || s.getRestartCount() == 0 ? "" : " (restart " + s.getRestartCount() + ")";
        if (s.getState() == null || s.getState().getWaiting() != null) {
            return s.getName() + " waiting" + restarts;
        }
        if (s.getState().getTerminated() != null) {
            return s.getName() + " exited " + s.getState().getTerminated().getExitCode() + restarts;
        }
        return s.getName() + " running" + restarts;
    }

    /** The events of the cluster, its StatefulSet and its pods, each once (the sandbox's Services draw endpoint errors: its pod IPs are loopback). */
    private static Map<String, Set<String>> eventFacts(Event e) {
        if (e.getInvolvedObject() == null || !Set.of("EtcdCluster", "StatefulSet", "Pod").contains(e.getInvolvedObject().getKind())) {
            return Map.of();
        }
        String message = Optional.ofNullable(e.getMessage()).orElse("");
        return Map.of("event " + e.getMetadata().getName(), Set.of(e.getReason() + ": "
                + (message.length() > 110 ? message.substring(0, 110) + "..." : message)));
    }

    private void pollHealth(Map<String, String> healthUrls) {
        while (running) {
            healthUrls.forEach((member, url) -> observe("etcd " + member + " /health", Set.of(healthy(url) ? "true" : "false")));
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private boolean healthy(String url) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/health")).timeout(HEALTH_TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 && r.body().contains("\"health\":\"true\"");
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        watches.forEach(Watch::close);
        poller.join();
    }
}
