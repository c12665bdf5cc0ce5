package com.storageos.etcd.desired;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.spec.DefragSpec;
import com.storageos.etcd.naming.ClusterNames;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import java.util.List;

/** The scheduled {@code tool defrag}. It visits every member, so it gets per-member endpoints. */
public final class DefragCronJob {
    public static final String TOOL = "defrag";
    static final long STARTING_DEADLINE_SECONDS = 300;
    /** Headroom on top of the per-member timeouts for health checks and status writes. */
    static final long DEADLINE_SLACK_SECONDS = 300;

    private DefragCronJob() {
    }

    /** {@code members}: the recorded member count. Requires spec.defrag. */
    public static CronJob build(EtcdCluster cluster, int members, RenderSettings settings) {
        DefragSpec defrag = cluster.getSpec().getDefrag();
        ClusterNames names = ClusterNamesOf.of(cluster);
        return new CronJobBuilder()
                .withMetadata(ObjectMetas.owned(cluster, names.defragCronJob(), TOOL))
                .withNewSpec()
                .withSchedule(defrag.getSchedule())
                .withSuspend(Boolean.TRUE.equals(defrag.getSuspend()))
                // Never two defrags at once: each blocks a member, two could block a quorum.
                .withConcurrencyPolicy("Forbid")
                .withStartingDeadlineSeconds(STARTING_DEADLINE_SECONDS)
                .withSuccessfulJobsHistoryLimit(3)
                .withFailedJobsHistoryLimit(3)
                .withNewJobTemplate()
                .withNewMetadata().withLabels(ObjectMetas.owned(cluster, names.defragCronJob(), TOOL).getLabels()).endMetadata()
                .withNewSpec()
                // A failed defrag waits for the next schedule rather than hitting a struggling cluster again.
                .withBackoffLimit(0)
                .withActiveDeadlineSeconds(activeDeadlineSeconds(defrag, members))
                .withTemplate(ToolPodTemplate.build(cluster, TOOL, ToolPodTemplate.endpoints(cluster, members, settings), settings,
                        defrag.getResources(), List.of(), List.of(), List.of()))
                .endSpec()
                .endJobTemplate()
                .endSpec()
                .build();
    }

    static long activeDeadlineSeconds(DefragSpec defrag, int members) {
        return (long) defrag.getTimeoutSeconds() * Math.max(1, members) + DEADLINE_SLACK_SECONDS;
    }
}
