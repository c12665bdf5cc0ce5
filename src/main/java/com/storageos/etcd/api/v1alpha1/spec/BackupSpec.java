package com.storageos.etcd.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.Map;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.pvc) != has(self.s3)", message = "spec.backup needs exactly one destination: pvc or s3")
public class BackupSpec {
    @JsonPropertyDescription("Cron schedule of the backup CronJob, for example '0 * * * *' (hourly).")
    @Required
    @Size(max = 64)
    @Pattern("^(@(yearly|annually|monthly|weekly|daily|midnight|hourly)|(\\S+\\s+){4}\\S+)$")
    private String schedule;

    @JsonPropertyDescription("Stop scheduling backups without deleting the CronJob.")
    @Default("false")
    private Boolean suspend = false;

    @JsonPropertyDescription("After each backup, restore the newest backup in the store into a scratch directory with etcd's own restore (etcdutl, or etcdctl for 3.4), the way a bootstrap would, and record the result in status.lastBackup.restoreCheck. Off by default: it reads the backup back from the store and needs scratch space of about twice the database size in the backup pod.")
    @Default("false")
    private Boolean restoreCheck = false;

    @JsonPropertyDescription("Which backups to keep. Applied only after a verified successful backup.")
    private RetentionSpec retention = new RetentionSpec();

    @JsonPropertyDescription("Write backups to this PersistentVolumeClaim.")
    private PvcDestinationSpec pvc;

    @JsonPropertyDescription("Write backups to an S3-compatible object store.")
    private S3DestinationSpec s3;

    @JsonPropertyDescription("Continuous backup: a backup agent that writes every change to the store between the scheduled snapshots.")
    private ContinuousBackupSpec continuous;

    @JsonPropertyDescription("Compute resources of the backup container. Default: requests cpu 50m and memory 128Mi, limit memory 512Mi.")
    private ResourceRequirements resources;
    @JsonPropertyDescription("Annotations of the ServiceAccount <cluster>-tool that the backup Jobs run under, for a cloud identity: eks.amazonaws.com/role-arn for IRSA. EKS Pod Identity needs none, only an association with that ServiceAccount.")
    @Size(max = 64)
    private Map<String, String> serviceAccountAnnotations;

    public String getSchedule() { return schedule; }
    public void setSchedule(String schedule) { this.schedule = schedule; }
    public Boolean getRestoreCheck() { return restoreCheck; }
    public void setRestoreCheck(Boolean restoreCheck) { this.restoreCheck = restoreCheck; }
    public Boolean getSuspend() { return suspend; }
    public void setSuspend(Boolean suspend) { this.suspend = suspend; }
    public RetentionSpec getRetention() { return retention; }
    public void setRetention(RetentionSpec retention) { this.retention = retention; }
    public PvcDestinationSpec getPvc() { return pvc; }
    public void setPvc(PvcDestinationSpec pvc) { this.pvc = pvc; }
    public S3DestinationSpec getS3() { return s3; }
    public void setS3(S3DestinationSpec s3) { this.s3 = s3; }
    public ContinuousBackupSpec getContinuous() { return continuous; }
    public void setContinuous(ContinuousBackupSpec continuous) { this.continuous = continuous; }
    /** True when the backup agent should run. */
    public boolean continuousEnabled() { return continuous != null && Boolean.TRUE.equals(continuous.getEnabled()); }
    public ResourceRequirements getResources() { return resources; }
    public void setResources(ResourceRequirements resources) { this.resources = resources; }
    public Map<String, String> getServiceAccountAnnotations() { return serviceAccountAnnotations; }
    public void setServiceAccountAnnotations(Map<String, String> annotations) { this.serviceAccountAnnotations = annotations; }
}
