package com.storageos.etcd.desired;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.spec.BackupSpec;
import com.storageos.etcd.api.v1alpha1.spec.DefragSpec;
import com.storageos.etcd.api.v1alpha1.spec.PvcDestinationSpec;
import com.storageos.etcd.api.v1alpha1.spec.S3DestinationSpec;
import com.storageos.etcd.naming.DnsMemberAddressing;
import com.storageos.etcd.toolcontract.ToolEnv;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.rbac.Role;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ToolCronJobTest {
    static final RenderSettings SETTINGS = new RenderSettings("quay.io/storageos/etcd-operator:1.0", "gcr.io/etcd",
            new DnsMemberAddressing("cluster.local"), List.of(), false);

    static EtcdCluster cluster() {
        EtcdCluster c = new EtcdCluster();
        c.setMetadata(new ObjectMetaBuilder().withName("kv").withNamespace("storageos").withUid("u1").build());
        BackupSpec backup = new BackupSpec();
        backup.setSchedule("0 * * * *");
        PvcDestinationSpec pvc = new PvcDestinationSpec();
        pvc.setClaimName("backups");
        backup.setPvc(pvc);
        c.getSpec().setBackup(backup);
        DefragSpec defrag = new DefragSpec();
        defrag.setSchedule("0 3 * * *");
        defrag.setSuspend(true);
        c.getSpec().setDefrag(defrag);
        return c;
    }

    @Test
    void backupCronJobCarriesScheduleAndSafePolicies() {
        CronJob job = BackupCronJob.build(cluster(), 3, SETTINGS);
        assertThat(job.getMetadata().getName()).isEqualTo("kv-backup");
        assertThat(job.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> assertThat(o.getUid()).isEqualTo("u1"));
        assertThat(job.getSpec().getSchedule()).isEqualTo("0 * * * *");
        assertThat(job.getSpec().getSuspend()).isFalse();
        assertThat(job.getSpec().getConcurrencyPolicy()).isEqualTo("Forbid");
        assertThat(job.getSpec().getStartingDeadlineSeconds()).isPositive();
        assertThat(job.getSpec().getSuccessfulJobsHistoryLimit()).isEqualTo(3);
        assertThat(job.getSpec().getFailedJobsHistoryLimit()).isEqualTo(3);
        assertThat(job.getSpec().getJobTemplate().getSpec().getBackoffLimit()).isBetween(0, 3);
        assertThat(job.getSpec().getJobTemplate().getSpec().getActiveDeadlineSeconds()).isPositive();
    }

    @Test
    void backupPodIsRestrictedRunsTheToolAndMountsThePvc() {
        PodSpec pod = BackupCronJob.build(cluster(), 3, SETTINGS).getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
        assertThat(pod.getRestartPolicy()).isEqualTo("Never");
        assertThat(pod.getServiceAccountName()).isEqualTo("kv-tool");
        assertThat(pod.getSecurityContext()).isEqualTo(RestrictedSecurity.pod(false));
        Container c = pod.getContainers().get(0);
        assertThat(c.getSecurityContext()).isEqualTo(RestrictedSecurity.container());
        assertThat(c.getImage()).isEqualTo("quay.io/storageos/etcd-operator:1.0");
        assertThat(c.getArgs()).containsExactly("tool", "backup");
        Map<String, EnvVar> env = ToolCronJobTestSupport.env(c);
        assertThat(env.get(ToolEnv.CLUSTER_NAME).getValue()).isEqualTo("kv");
        assertThat(env.get(ToolEnv.NAMESPACE).getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.namespace");
        assertThat(env.get(ToolEnv.ENDPOINTS).getValue()).isEqualTo(
                "http://kv-0.kv-peer.storageos.svc.cluster.local:2379,http://kv-1.kv-peer.storageos.svc.cluster.local:2379,"
                        + "http://kv-2.kv-peer.storageos.svc.cluster.local:2379");
        assertThat(env.get(ToolEnv.BACKUP_DIR).getValue()).isEqualTo("/backup/kv");
        assertThat(pod.getVolumes()).anySatisfy(v -> assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("backups"));
        assertThat(c.getVolumeMounts()).extracting(m -> m.getMountPath()).contains("/backup", "/tmp");
    }

    @Test
    void s3CredentialsComeFromTheSecretNeverAsValues() {
        EtcdCluster c = cluster();
        S3DestinationSpec s3 = new S3DestinationSpec();
        s3.setBucket("bkt");
        s3.setCredentialsSecret("s3-creds");
        c.getSpec().getBackup().setPvc(null);
        c.getSpec().getBackup().setS3(s3);
        Container container = BackupCronJob.build(c, 1, SETTINGS).getSpec().getJobTemplate().getSpec().getTemplate().getSpec()
                .getContainers().get(0);
        Map<String, EnvVar> env = ToolCronJobTestSupport.env(container);
        for (String key : new String[] {ToolEnv.AWS_ACCESS_KEY_ID, ToolEnv.AWS_SECRET_ACCESS_KEY}) {
            assertThat(env.get(key).getValue()).isNull();
            assertThat(env.get(key).getValueFrom().getSecretKeyRef().getName()).isEqualTo("s3-creds");
            assertThat(env.get(key).getValueFrom().getSecretKeyRef().getKey()).isEqualTo(key);
        }
        assertThat(env).doesNotContainKey(ToolEnv.BACKUP_DIR);
    }

    /** IRSA: the role ARN goes on the ServiceAccount the backup pods run under; no Secret means no keys in the pod. */
    @Test
    void aCloudIdentityIsTheToolServiceAccountsAnnotationAndNoKeys() {
        EtcdCluster c = cluster();
        S3DestinationSpec s3 = new S3DestinationSpec();
        s3.setBucket("bkt");
        c.getSpec().getBackup().setPvc(null);
        c.getSpec().getBackup().setS3(s3);
        c.getSpec().getBackup().setServiceAccountAnnotations(Map.of("eks.amazonaws.com/role-arn", "arn:aws:iam::111122223333:role/etcd-backup"));
        PodSpec pod = BackupCronJob.build(c, 1, SETTINGS).getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
        assertThat(ToolCronJobTestSupport.env(pod.getContainers().get(0))).doesNotContainKeys(ToolEnv.AWS_ACCESS_KEY_ID, ToolEnv.AWS_SECRET_ACCESS_KEY);
        var account = ToolAccess.serviceAccount(c);
        assertThat(pod.getServiceAccountName()).isEqualTo(account.getMetadata().getName());
        assertThat(account.getMetadata().getAnnotations()).containsEntry("eks.amazonaws.com/role-arn", "arn:aws:iam::111122223333:role/etcd-backup");
        c.getSpec().getBackup().setServiceAccountAnnotations(null);
        assertThat(ToolAccess.serviceAccount(c).getMetadata().getAnnotations()).isNullOrEmpty();
    }

    @Test
    void defragCronJobFollowsSpecAndScalesItsDeadlineWithMembers() {
        CronJob job = DefragCronJob.build(cluster(), 3, SETTINGS);
        assertThat(job.getMetadata().getName()).isEqualTo("kv-defrag");
        assertThat(job.getSpec().getSchedule()).isEqualTo("0 3 * * *");
        assertThat(job.getSpec().getSuspend()).isTrue();
        assertThat(job.getSpec().getConcurrencyPolicy()).isEqualTo("Forbid");
        assertThat(job.getSpec().getJobTemplate().getSpec().getBackoffLimit()).isZero();
        assertThat(job.getSpec().getJobTemplate().getSpec().getActiveDeadlineSeconds()).isEqualTo(3 * 300 + 300);
        PodSpec pod = job.getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
        assertThat(pod.getContainers().get(0).getArgs()).containsExactly("tool", "defrag");
        assertThat(pod.getRestartPolicy()).isEqualTo("Never");
    }

    @Test
    void toolRoleAllowsExactlyWhatTheToolsNeed() {
        Role role = ToolAccess.role(cluster());
        assertThat(role.getMetadata().getName()).isEqualTo("kv-tool");
        assertThat(role.getRules()).hasSize(3);
        assertThat(role.getRules().get(0).getResources()).containsExactly("etcdclusters");
        assertThat(role.getRules().get(0).getResourceNames()).containsExactly("kv");
        assertThat(role.getRules().get(0).getVerbs()).containsExactly("get");
        assertThat(role.getRules().get(1).getResources()).containsExactly("etcdclusters/status");
        assertThat(role.getRules().get(1).getVerbs()).containsExactly("patch");
        assertThat(role.getRules().get(2).getResources()).containsExactly("events");
        assertThat(role.getRules().get(2).getVerbs()).containsExactly("create");
        assertThat(ToolAccess.roleBinding(cluster()).getSubjects()).singleElement()
                .satisfies(s -> assertThat(s.getName()).isEqualTo("kv-tool"));
    }

    @Test
    void backupNowRequestIsServedOncePerValueWithAStableJobName() {
        EtcdCluster c = cluster();
        assertThat(BackupRequest.pending(c)).isEmpty();
        c.getMetadata().setAnnotations(Map.of(BackupRequest.ANNOTATION, "2024-05-01T10:00"));
        assertThat(BackupRequest.pending(c)).contains("2024-05-01T10:00");
        c.getMetadata().setAnnotations(Map.of(BackupRequest.ANNOTATION, "2024-05-01T10:00",
                BackupRequest.HANDLED_ANNOTATION, "2024-05-01T10:00"));
        assertThat(BackupRequest.pending(c)).isEmpty();
        Job job = BackupCronJob.onDemandJob(c, 3, SETTINGS, "2024-05-01T10:00");
        assertThat(job.getMetadata().getName()).matches("kv-backup-now-[0-9a-f]{10}")
                .isEqualTo(BackupCronJob.onDemandJob(c, 3, SETTINGS, "2024-05-01T10:00").getMetadata().getName())
                .isNotEqualTo(BackupCronJob.onDemandJob(c, 3, SETTINGS, "other").getMetadata().getName());
        assertThat(job.getSpec().getTtlSecondsAfterFinished()).isPositive();
        assertThat(ToolCronJobTestSupport.env(job.getSpec().getTemplate().getSpec().getContainers().get(0))
                .get(ToolEnv.BACKUP_REQUEST).getValue()).isEqualTo("2024-05-01T10:00");
    }
}
