package com.storageos.etcd.sandbox;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the kubelet tells the API about one pod: phase, conditions and the state of its one init
 * container and one main container. Written only when it changed.
 */
final class PodStatusReport {
    private final KubernetesClient client;
    private final Pod pod;
    private final String podIp;
    private ContainerStatus init;
    private ContainerStatus main;
    private PodStatus published;

    PodStatusReport(KubernetesClient client, Pod pod, String podIp) {
        this.client = client;
        this.pod = pod;
        this.podIp = podIp;
        String initName = pod.getSpec().getInitContainers().isEmpty() ? null : pod.getSpec().getInitContainers().get(0).getName();
        this.init = initName == null ? null : container(initName, waiting("PodInitializing", null), null, 0, false);
        String mainName = pod.getSpec().getContainers().get(0).getName();
        this.main = container(mainName, waiting("PodInitializing", null), null, 0, false);
    }

    /** The init container refused: waiting to retry, its last attempt's message kept where the operator reads it. */
    synchronized boolean initFailed(int exitCode, String message) {
        init = container(init.getName(), waiting("CrashLoopBackOff", message), terminated(exitCode, message), init.getRestartCount() + 1, false);
        return publish();
    }

    synchronized boolean initSucceeded() {
        if (init != null) {
            init = container(init.getName(), terminated(0, "Completed"), init.getLastState(), init.getRestartCount(), true);
        }
        return publish();
    }

    synchronized boolean running(boolean ready) {
        main = container(main.getName(), new ContainerStateBuilder().withNewRunning().withStartedAt(now()).endRunning().build(),
                main.getLastState(), main.getRestartCount(), ready);
        return publish();
    }

    synchronized boolean crashed(int exitCode) {
        main = container(main.getName(), waiting("CrashLoopBackOff", null), terminated(exitCode, "Error"), main.getRestartCount() + 1, false);
        return publish();
    }

    synchronized boolean readiness(boolean ready) {
        if (main.getReady() == ready || main.getState().getRunning() == null) {
            return true;
        }
        main.setReady(ready);
        return publish();
    }

    /** Writes the status if it changed; false once the pod is gone or replaced, so that the runner stops. */
    private boolean publish() {
        boolean initialized = init == null || init.getState().getTerminated() != null && init.getState().getTerminated().getExitCode() == 0;
        boolean running = main.getState().getRunning() != null;
        PodStatus next = new PodStatusBuilder()
                .withPhase(running || main.getRestartCount() > 0 ? "Running" : "Pending")
                .withPodIP(podIp).withHostIP(podIp)
                .withConditions(condition("PodScheduled", true), condition("Initialized", initialized),
                        condition("ContainersReady", main.getReady()), condition("Ready", main.getReady()))
                .withInitContainerStatuses(init == null ? List.of() : List.of(init))
                .withContainerStatuses(main)
                .build();
        if (published != null && sameExceptTimes(published, next)) {
            return true;
        }
        for (int attempt = 0; attempt < 5; attempt++) {
            Pod current = client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).get();
            if (current == null || !current.getMetadata().getUid().equals(pod.getMetadata().getUid())) {
                return false;
            }
            current.setStatus(next);
            try {
                client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(current).updateStatus();
                published = next;
                return true;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
            }
        }
        return true;
    }

    private static boolean sameExceptTimes(PodStatus a, PodStatus b) {
        return Objects.equals(a.getPhase(), b.getPhase())
                && a.getConditions().stream().map(PodCondition::getStatus).toList().equals(b.getConditions().stream().map(PodCondition::getStatus).toList())
                && shape(a.getInitContainerStatuses()).equals(shape(b.getInitContainerStatuses()))
                && shape(a.getContainerStatuses()).equals(shape(b.getContainerStatuses()));
    }

    private static List<String> shape(List<ContainerStatus> statuses) {
        return statuses.stream().map(s -> s.getReady() + "/" + s.getRestartCount() + "/" + s.getState().getRunning() + "/"
                + (s.getState().getWaiting() == null ? "" : s.getState().getWaiting().getReason()) + "/"
                + (s.getState().getTerminated() == null ? "" : s.getState().getTerminated().getExitCode())).toList();
    }

    private static ContainerStatus container(String name, ContainerState state, ContainerState last, int restarts, boolean ready) {
        return new ContainerStatusBuilder().withName(name).withState(state).withLastState(last == null ? new ContainerState() : last)
                .withRestartCount(restarts).withReady(ready).withStarted(state.getRunning() != null).withImage("local").build();
    }

    private static ContainerState waiting(String reason, String message) {
        return new ContainerStateBuilder().withNewWaiting().withReason(reason).withMessage(message).endWaiting().build();
    }

    private static ContainerState terminated(int exitCode, String message) {
        return new ContainerStateBuilder().withNewTerminated().withExitCode(exitCode).withMessage(message)
                .withReason(exitCode == 0 ? "Completed" : "Error").withFinishedAt(now()).endTerminated().build();
    }

    private static PodCondition condition(String type, boolean status) {
        return new PodConditionBuilder().withType(type).withStatus(status ? "True" : "False").withLastTransitionTime(now()).build();
    }

    private static String now() {
        return Instant.now().toString();
    }
}
