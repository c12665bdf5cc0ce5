package com.storageos.etcd.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.pvc) != has(self.s3)", message = "spec.bootstrap.restore needs exactly one source: pvc or s3")
@ValidationRule(value = "!has(self.revision) || !has(self.time)",
        message = "spec.bootstrap.restore takes a revision or a time, not both")
@ValidationRule(value = "(!has(self.revision) && !has(self.time)) || self.backup == 'latest'",
        message = "spec.bootstrap.restore: a revision or a time is restored from the newest backup before it; leave backup at 'latest'")
public class RestoreSpec {
    /** An RFC 3339 time, as etcd's and Kubernetes' timestamps are written: in UTC or with an offset. */
    public static final String TIME_PATTERN = "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
            + "(\\.[0-9]{1,9})?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$";

    @JsonPropertyDescription("Backup to restore: 'latest', the newest state stored (the newest full snapshot, then the changes the"
            + " continuous backup recorded after it replayed), or a full snapshot's file name or object key, restored as it is.")
    @Default("latest")
    @Size(min = 1, max = 1024)
    private String backup = "latest";

    @JsonPropertyDescription("Restore to this etcd revision: the newest full snapshot at or before it, then its recorded changes"
            + " up to and including it. Needs the continuous backup's changes and etcd 3.5 or later; backup stays 'latest'.")
    @Min(1)
    private Long revision;

    @JsonPropertyDescription("Restore to this time (RFC 3339, such as 2026-12-07T15:04:05Z): the newest full snapshot taken at or"
            + " before it, then the changes the continuous backup had seen by then. Needs etcd 3.5 or later; backup stays 'latest'.")
    @Pattern(TIME_PATTERN)
    private String time;

    @JsonPropertyDescription("Whose backups to restore: the name of the EtcdCluster that wrote them (for example the cluster that"
            + " lost its data, when this one is new under another name). Defaults to this cluster's own name; for a pvc source"
            + " without a path it also names the directory.")
    @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    @Size(min = 1, max = 63)
    private String clusterName;

    @JsonPropertyDescription("Read the backup from this PersistentVolumeClaim.")
    private PvcDestinationSpec pvc;

    @JsonPropertyDescription("Read the backup from this S3-compatible object store.")
    private S3DestinationSpec s3;

    public String getBackup() { return backup; }
    public void setBackup(String backup) { this.backup = backup; }
    public Long getRevision() { return revision; }
    public void setRevision(Long revision) { this.revision = revision; }
    public String getTime() { return time; }
    public void setTime(String time) { this.time = time; }
    public String getClusterName() { return clusterName; }
    public void setClusterName(String clusterName) { this.clusterName = clusterName; }
    public PvcDestinationSpec getPvc() { return pvc; }
    public void setPvc(PvcDestinationSpec pvc) { this.pvc = pvc; }
    public S3DestinationSpec getS3() { return s3; }
    public void setS3(S3DestinationSpec s3) { this.s3 = s3; }
}
