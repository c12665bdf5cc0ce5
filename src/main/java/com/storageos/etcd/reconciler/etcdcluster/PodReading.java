package com.storageos.etcd.reconciler.etcdcluster;

import com.storageos.etcd.membership.BootstrapReport;
import com.storageos.etcd.membership.PodState;
import com.storageos.etcd.naming.Labels;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Optional;

/** Turns a member Pod into the planner's {@link PodState}. */
final class PodReading {
    static final int CRASH_LOOP_RESTARTS = 2;
    private PodReading() {
    }

    static PodState read(Pod pod, int ordinal, String updateRevision) {
        boolean ready = pod.getStatus() != null && Optional.ofNullable(pod.getStatus().getConditions()).orElse(List.of()).stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
        boolean terminating = pod.getMetadata().getDeletionTimestamp() != null;
        String revision = Optional.ofNullable(pod.getMetadata().getLabels()).map(l -> l.get(Labels.REVISION)).orElse(null);
        boolean current = updateRevision == null || revision == null || updateRevision.equals(revision);
        return new PodState(ordinal, ready, terminating, reportsDataLoss(pod), current, crashLooping(pod));
    }

    /** The etcd container has restarted at least twice and is now waiting in the kubelet's back-off. */
    static boolean crashLooping(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return false;
        }
        return pod.getStatus().getContainerStatuses().stream().filter(s -> "etcd".equals(s.getName())).anyMatch(s ->
                Optional.ofNullable(s.getRestartCount()).orElse(0) >= CRASH_LOOP_RESTARTS && s.getState() != null
                        && s.getState().getRunning() == null);
    }

    /**
     * The bootstrap init container refused because the member's data is gone. Only its latest
     * attempt counts: once it succeeds, an older failure in lastState is history.
     */
    static boolean reportsDataLoss(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getInitContainerStatuses() == null) {
            return false;
        }
        return pod.getStatus().getInitContainerStatuses().stream()
                .filter(s -> "bootstrap".equals(s.getName()))
                .anyMatch(PodReading::latestAttemptLostData);
    }

    private static boolean latestAttemptLostData(ContainerStatus s) {
        ContainerState state = s.getState();
        if (state != null && state.getTerminated() != null) {
            return BootstrapReport.isDataLoss(state.getTerminated().getMessage());
        }
        boolean waitingToRetry = state != null && state.getWaiting() != null;
        return waitingToRetry && s.getLastState() != null && s.getLastState().getTerminated() != null
                && BootstrapReport.isDataLoss(s.getLastState().getTerminated().getMessage());
    }
}
