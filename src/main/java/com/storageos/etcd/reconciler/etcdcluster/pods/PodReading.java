package com.storageos.etcd.reconciler.etcdcluster.pods;

import com.storageos.etcd.desired.MemberTemplateHash;
import com.storageos.etcd.desired.RestoreSource;
import com.storageos.etcd.membership.PodState;
import com.storageos.etcd.naming.Labels;
import com.storageos.etcd.toolcontract.BootstrapReport;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/** Turns a member Pod into the planner's {@link PodState}. */
public final class PodReading {
    static final int CRASH_LOOP_RESTARTS = 2;
    private PodReading() {
    }

    /**
     * @param updateRevision the StatefulSet's current revision, or null
     * @param templateHash   the {@link MemberTemplateHash} on the StatefulSet's pod template, or null
     */
    public static PodState read(Pod pod, int ordinal, String updateRevision, String templateHash) {
        boolean ready = condition(pod, "Ready");
        boolean terminating = pod.getMetadata().getDeletionTimestamp() != null;
        return new PodState(ordinal, ready, terminating, reportsDataLoss(pod), runsCurrentTemplate(pod, updateRevision, templateHash),
                crashLooping(pod), forcedNewCluster(pod), condition(pod, "Initialized"),
                restore(pod),
                pod.getStatus() == null ? "" : pod.getStatus().getPodIP(), pod.getMetadata().getUid(),
                terminating ? Instant.parse(pod.getMetadata().getDeletionTimestamp()) : null).withKeptAside(keptAside(pod));
    }

    /** The kept-aside line of the bootstrap init container's latest run (a refused run reports it too). */
    static Optional<BootstrapReport.KeptAside> keptAside(Pod pod) {
        return latestBootstrapMessage(pod).flatMap(BootstrapReport::keptAside);
    }

    /** Member 0's restore as its bootstrap reported it: done (and what it recovered), or refused and why. */
    private static PodState.Restore restore(Pod pod) {
        boolean restored = bootstrapSucceededSaying(pod, BootstrapReport::isRestoredFromBackup);
        Optional<String> latest = latestBootstrapMessage(pod);
        // Written only once a restore succeeded: by a restore in place, or by spec.bootstrap.restore's into a new cluster.
        return new PodState.Restore(restoreSourceMounted(pod), restored, latest.flatMap(BootstrapReport::recovered),
                latest.filter(m -> m.startsWith(BootstrapReport.RESTORE_REFUSED)).map(m -> m.lines().findFirst().orElse(m)));
    }

    /** The termination message of the bootstrap init container's latest run, finished or before its restart. */
    private static Optional<String> latestBootstrapMessage(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getInitContainerStatuses() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getInitContainerStatuses().stream().filter(s -> "bootstrap".equals(s.getName()))
                .map(s -> s.getState() != null && s.getState().getTerminated() != null ? s.getState().getTerminated()
                        : s.getLastState() == null ? null : s.getLastState().getTerminated())
                .filter(Objects::nonNull).findFirst().map(t -> t.getMessage()).filter(Objects::nonNull);
    }

    /** The bootstrap init container was given a backup store (the template hash leaves it out, so only the pod says). */
    static boolean restoreSourceMounted(Pod pod) {
        return pod.getSpec() != null && Optional.ofNullable(pod.getSpec().getInitContainers()).orElse(List.of()).stream()
                .filter(c -> "bootstrap".equals(c.getName())).flatMap(c -> Optional.ofNullable(c.getEnv()).orElse(List.of()).stream())
                .anyMatch(e -> RestoreSource.ENV.contains(e.getName()));
    }

    public static boolean ready(Pod pod) {
        return condition(pod, "Ready");
    }

    private static boolean condition(Pod pod, String type) {
        return pod.getStatus() != null && Optional.ofNullable(pod.getStatus().getConditions()).orElse(List.of()).stream()
                .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** The bootstrap init container's last run succeeded and said it started etcd with --force-new-cluster. */
    static boolean forcedNewCluster(Pod pod) {
        return bootstrapSucceededSaying(pod, BootstrapReport::isForcedNewCluster);
    }

    private static boolean bootstrapSucceededSaying(Pod pod, Predicate<String> message) {
        if (pod.getStatus() == null || pod.getStatus().getInitContainerStatuses() == null) {
            return false;
        }
        return pod.getStatus().getInitContainerStatuses().stream().filter(s -> "bootstrap".equals(s.getName()))
                .map(ContainerStatus::getState).filter(s -> s != null && s.getTerminated() != null)
                .anyMatch(s -> Integer.valueOf(0).equals(s.getTerminated().getExitCode())
                        && message.test(s.getTerminated().getMessage()));
    }

    /** By the template hash, which leaves out the operator's own init image; by the revision for a pod older than the hash. */
    static boolean runsCurrentTemplate(Pod pod, String updateRevision, String templateHash) {
        String hash = Optional.ofNullable(pod.getMetadata().getAnnotations()).map(a -> a.get(MemberTemplateHash.ANNOTATION)).orElse(null);
        if (templateHash != null && hash != null) {
            return templateHash.equals(hash);
        }
        String revision = Optional.ofNullable(pod.getMetadata().getLabels()).map(l -> l.get(Labels.REVISION)).orElse(null);
        return updateRevision == null || revision == null || updateRevision.equals(revision);
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
