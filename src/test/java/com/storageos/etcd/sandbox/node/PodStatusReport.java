package com.storageos.etcd.sandbox.node;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIPBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the kubelet tells the API about one pod, through the {@code pods/status} subresource: phase,
 * conditions, pod IP, and each init and main container's state, last state, restart count and
 * readiness. Written only when something other than a timestamp changed. Conditions the kubelet does not
 * own (a readiness gate's, patched in by a controller) are kept, and Ready honours the gates.
 */
final class PodStatusReport {
    static final String IMAGE_ID = "sandbox://local";
    private static final Set<String> KUBELET_CONDITIONS = Set.of("PodScheduled", "Initialized", "ContainersReady", "Ready");
    private final KubernetesClient client;
    private final Pod pod;
    private final String podIp;
    private final String startTime = now();
    private final Map<String, ContainerStatus> init = new LinkedHashMap<>();
    private ContainerStatus main;
    /** Succeeded or Failed once a run-once pod's container has exited: the pod is done for good. */
    private String terminalPhase;
    private final Map<String, String> transitions = new LinkedHashMap<>();
    private PodStatus published;
    private boolean gatesOpen;

    PodStatusReport(KubernetesClient client, Pod pod, String podIp) {
        this.client = client;
        this.pod = pod;
        this.podIp = podIp;
        for (Container c : pod.getSpec().getInitContainers()) {
            init.put(c.getName(), container(c, waiting("PodInitializing", null), null, 0, false, null));
        }
        Container c = pod.getSpec().getContainers().get(0);
        main = container(c, waiting("PodInitializing", null), null, 0, false, null);
    }

    /** An init container exited non-zero: waiting to retry, its last attempt's termination message kept where the operator reads it. */
    synchronized boolean initFailed(Container c, int exitCode, String message) {
        ContainerStatus s = init.get(c.getName());
        init.put(c.getName(), container(c, waiting("CrashLoopBackOff", "back-off restarting failed container"),
                terminated(exitCode, message), s.getRestartCount() + 1, false, s.getContainerID()));
        return publish();
    }

    synchronized boolean initRunning(Container c, String containerId) {
        ContainerStatus s = init.get(c.getName());
        init.put(c.getName(), container(c, running(), s.getLastState(), s.getRestartCount(), false, containerId));
        return publish();
    }

    /** An init container exited 0; like the kubelet, its termination message (if it wrote one) is reported too. */
    synchronized boolean initSucceeded(Container c, String message) {
        ContainerStatus s = init.get(c.getName());
        init.put(c.getName(), container(c, terminated(0, message), s.getLastState(), s.getRestartCount(), false, s.getContainerID()));
        return publish();
    }

    /** The container's image cannot be had on this node: it waits, as a kubelet's does for an image it cannot pull. */
    synchronized boolean imageUnavailable(Container c, String message) {
        main = container(c, waiting("ErrImagePull", message), main.getLastState(), main.getRestartCount(), false, main.getContainerID());
        return publish();
    }

    synchronized boolean running(Container c, String containerId) {
        main = container(c, running(), main.getLastState(), main.getRestartCount(), false, containerId);
        return publish();
    }

    /** The main container exited (or was killed); the kubelet restarts it in place after a back-off. */
    synchronized boolean exited(Container c, int exitCode, String reason) {
        main = container(c, waiting("CrashLoopBackOff", "back-off restarting failed container"), terminated(exitCode, reason),
                main.getRestartCount() + 1, false, main.getContainerID());
        return publish();
    }

    /** A restartPolicy Never pod's container exited: the pod ends Succeeded on 0, else Failed, and is never restarted. */
    synchronized boolean finished(Container c, int exitCode, String message) {
        main = container(c, terminated(exitCode, message), main.getLastState(), main.getRestartCount(), false, main.getContainerID());
        terminalPhase = exitCode == 0 ? "Succeeded" : "Failed";
        return publish();
    }

    /** The pod is being deleted and its container has stopped. */
    synchronized boolean stopped(Container c, int exitCode) {
        main = container(c, terminated(exitCode, null), main.getLastState(), main.getRestartCount(), false, main.getContainerID());
        return publish();
    }

    synchronized boolean readiness(boolean ready) {
        if (main.getReady() == ready || main.getState().getRunning() == null) {
            return true;
        }
        main.setReady(ready);
        return publish();
    }

    /**
     * The pod as the API now has it, say with a readiness gate's condition another controller patched in: the
     * kubelet resyncs such a pod and recomputes Ready (its HandlePodReconcile), so Ready follows the gates.
     */
    synchronized boolean seen(Pod current) {
        return ReadinessGates.open(current) == gatesOpen || publish();
    }

    /** Writes the status if it changed; false once the pod is gone or replaced, so that the runner stops. */
    private boolean publish() {
        for (int attempt = 0; attempt < 10; attempt++) {
            Pod current = client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).get();
            if (current == null || !current.getMetadata().getUid().equals(pod.getMetadata().getUid())) {
                return false;
            }
            boolean gates = ReadinessGates.open(current);
            PodStatus next = build(current, gates);
            if (published != null && shape(published).equals(shape(next))) {
                gatesOpen = gates;
                return true;
            }
            next.setQosClass(current.getStatus() == null ? null : current.getStatus().getQosClass());
            current.setStatus(next);
            try {
                client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(current).updateStatus();
                published = next;
                gatesOpen = gates;
                return true;
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) {
                    return false;
                }
                if (e.getCode() != 409) {
                    throw e;
                }
            }
        }
        return true;
    }

    /**
     * As the kubelet: it owns PodScheduled, Initialized, ContainersReady and Ready, and keeps every other
     * condition as the API has it (its status manager merges them back); Ready is ContainersReady and,
     * with a container ready, every {@code spec.readinessGates} condition True (its GeneratePodReadyCondition).
     */
    private PodStatus build(Pod current, boolean gates) {
        boolean initialized = init.values().stream().allMatch(s -> s.getState().getTerminated() != null
                && s.getState().getTerminated().getExitCode() == 0);
        boolean everStarted = main.getState().getRunning() != null || main.getRestartCount() > 0 || main.getState().getTerminated() != null;
        PodStatus status = new PodStatus();
        status.setPhase(terminalPhase != null ? terminalPhase : everStarted ? "Running" : "Pending");
        status.setHostIP(SandboxNode.NODE_IP);
        status.setPodIP(podIp);
        status.setPodIPs(List.of(new PodIPBuilder().withIp(podIp).build()));
        status.setStartTime(startTime);
        List<PodCondition> conditions = new ArrayList<>(othersConditions(current));
        conditions.addAll(List.of(condition("PodScheduled", true), condition("Initialized", initialized),
                condition("ContainersReady", main.getReady()), condition("Ready", main.getReady() && gates)));
        if (main.getReady() && !gates) {
            PodCondition ready = conditions.get(conditions.size() - 1);
            ready.setReason("ReadinessGatesNotReady");
            ready.setMessage(ReadinessGates.message(current));
        }
        status.setConditions(conditions);
        status.setInitContainerStatuses(new ArrayList<>(init.values()));
        status.setContainerStatuses(List.of(main));
        return status;
    }

    private static List<PodCondition> othersConditions(Pod current) {
        return ReadinessGates.conditionsOf(current).stream().filter(c -> !KUBELET_CONDITIONS.contains(c.getType())).toList();
    }

    /** A condition keeps its lastTransitionTime until its status changes. */
    private PodCondition condition(String type, boolean value) {
        String status = value ? "True" : "False";
        String since = transitions.get(type);
        if (since == null || !since.startsWith(status + "@")) {
            since = status + "@" + now();
            transitions.put(type, since);
        }
        return new PodConditionBuilder().withType(type).withStatus(status).withLastTransitionTime(since.substring(status.length() + 1)).build();
    }

    private static List<String> shape(PodStatus s) {
        List<String> out = new ArrayList<>();
        out.add(s.getPhase());
        s.getConditions().forEach(c -> out.add(c.getType() + c.getStatus()));
        for (ContainerStatus c : concat(s.getInitContainerStatuses(), s.getContainerStatuses())) {
            out.add(c.getName() + "/" + c.getReady() + "/" + c.getRestartCount() + "/" + c.getContainerID() + "/"
                    + (c.getState().getRunning() != null) + "/"
                    + Optional.ofNullable(c.getState().getWaiting()).map(w -> w.getReason()).orElse("") + "/"
                    + Optional.ofNullable(c.getState().getTerminated()).map(t -> t.getExitCode()).orElse(-1));
        }
        return out;
    }

    private static List<ContainerStatus> concat(List<ContainerStatus> a, List<ContainerStatus> b) {
        List<ContainerStatus> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static ContainerStatus container(Container c, ContainerState state, ContainerState last, int restarts, boolean ready,
                                             String containerId) {
        return new ContainerStatusBuilder().withName(c.getName()).withState(state)
                .withLastState(last == null ? new ContainerState() : last).withRestartCount(restarts).withReady(ready)
                .withStarted(state.getRunning() != null).withImage(Objects.requireNonNullElse(c.getImage(), "local"))
                .withImageID(IMAGE_ID).withContainerID(containerId).build();
    }

    private static ContainerState running() {
        return new ContainerStateBuilder().withNewRunning().withStartedAt(now()).endRunning().build();
    }

    private static ContainerState waiting(String reason, String message) {
        return new ContainerStateBuilder().withNewWaiting().withReason(reason).withMessage(message).endWaiting().build();
    }

    private static ContainerState terminated(int exitCode, String message) {
        String reason = exitCode == 0 ? "Completed" : "Error";
        return new ContainerStateBuilder().withNewTerminated().withExitCode(exitCode).withMessage(message)
                .withReason(reason).withFinishedAt(now()).endTerminated().build();
    }

    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
