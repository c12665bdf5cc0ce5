package com.storageos.etcd.desired;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.spec.BackupSpec;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.toolcontract.ToolEnv;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpecBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The scheduled backup, and the one-off Job the reconciler starts for a backup-now request. Both
 * run the same pod: {@code tool backup} against per-member endpoints, so the tool can pick a follower.
 */
public final class BackupCronJob {
    public static final String TOOL = "backup";
    static final long STARTING_DEADLINE_SECONDS = 300;
    static final int BACKOFF_LIMIT = 2;
    static final long ACTIVE_DEADLINE_SECONDS = 3600;
    static final int ON_DEMAND_TTL_SECONDS = 86400;

    private BackupCronJob() {
    }

    /** {@code members}: the recorded member count, as for the StatefulSet. Requires spec.backup. */
    public static CronJob build(EtcdCluster cluster, int members, RenderSettings settings) {
        BackupSpec backup = cluster.getSpec().getBackup();
        ClusterNames names = ClusterNamesOf.of(cluster);
        return new CronJobBuilder()
                .withMetadata(ObjectMetas.owned(cluster, names.backupCronJob(), TOOL))
                .withNewSpec()
                .withSchedule(backup.getSchedule())
                .withSuspend(Boolean.TRUE.equals(backup.getSuspend()))
                // Two snapshots at once only double the load on etcd; a late run is simply skipped.
                .withConcurrencyPolicy("Forbid")
                .withStartingDeadlineSeconds(STARTING_DEADLINE_SECONDS)
                .withSuccessfulJobsHistoryLimit(3)
                .withFailedJobsHistoryLimit(3)
                .withNewJobTemplate()
                .withNewMetadata().withLabels(ObjectMetas.owned(cluster, names.backupCronJob(), TOOL).getLabels()).endMetadata()
                .withSpec(jobSpec(cluster, members, settings, List.of()))
                .endJobTemplate()
                .endSpec()
                .build();
    }

    /**
     * The Job for an on-demand backup; the reconciler creates it when {@link BackupRequest#pending}
     * says so. Its name is derived from the request, so creating it twice is harmless (AlreadyExists).
     */
    public static Job onDemandJob(EtcdCluster cluster, int members, RenderSettings settings, String request) {
        ClusterNames names = ClusterNamesOf.of(cluster);
        JobSpec spec = new JobSpecBuilder(jobSpec(cluster, members, settings,
                List.of(ToolPodTemplate.env(ToolEnv.BACKUP_REQUEST, request))))
                .withTtlSecondsAfterFinished(ON_DEMAND_TTL_SECONDS)
                .build();
        return new JobBuilder()
                .withMetadata(ObjectMetas.owned(cluster, BackupRequest.jobName(names, request), TOOL))
                .withSpec(spec)
                .build();
    }

    private static JobSpec jobSpec(EtcdCluster cluster, int members, RenderSettings settings, List<EnvVar> extraEnv) {
        PodTemplateSpec pod = storePod(cluster, TOOL, ToolPodTemplate.endpoints(cluster, members, settings), settings, extraEnv);
        return new JobSpecBuilder()
                .withBackoffLimit(BACKOFF_LIMIT)
                .withActiveDeadlineSeconds(ACTIVE_DEADLINE_SECONDS)
                .withTemplate(BackupAgentDeployment.onAgentsNode(cluster, pod))
                .build();
    }

    /** A tool pod that opens the backup store: the claim mounted, or the S3 credentials; the backup Jobs' and the agent's. */
    static PodTemplateSpec storePod(EtcdCluster cluster, String tool, String endpoints, RenderSettings settings, List<EnvVar> extraEnv) {
        BackupSpec backup = cluster.getSpec().getBackup();
        List<EnvVar> env = new ArrayList<>(extraEnv);
        List<Volume> volumes = new ArrayList<>();
        List<VolumeMount> mounts = new ArrayList<>();
        if (backup.getPvc() != null) {
            volumes.add(new VolumeBuilder().withName("backup").withNewPersistentVolumeClaim()
                    .withClaimName(backup.getPvc().getClaimName()).endPersistentVolumeClaim().build());
            mounts.add(new VolumeMountBuilder().withName("backup").withMountPath(ToolEnv.BACKUP_MOUNT).build());
            env.add(ToolPodTemplate.env(ToolEnv.BACKUP_DIR, backupDir(cluster)));
        } else {
            env.addAll(ToolPodTemplate.s3Credentials(backup.getS3()));
        }
        return ToolPodTemplate.build(cluster, tool, endpoints, settings, backup.getResources(), env, mounts, volumes);
    }

    /** Backups live in a directory of their own inside the volume: its path, or the cluster's name. */
    static String backupDir(EtcdCluster cluster) {
        String path = Optional.ofNullable(cluster.getSpec().getBackup().getPvc().getPath())
                .orElse(cluster.getMetadata().getName());
        return ToolEnv.BACKUP_MOUNT + "/" + path.replaceAll("^/+", "");
    }
}
