package com.storageos.etcd.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.pvc) != has(self.s3)", message = "spec.bootstrap.restore needs exactly one source: pvc or s3")
public class RestoreSpec {
    @JsonPropertyDescription("Backup to restore: its file name or object key, or 'latest'.")
    @Default("latest")
    @Size(min = 1, max = 1024)
    private String backup = "latest";

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
    public String getClusterName() { return clusterName; }
    public void setClusterName(String clusterName) { this.clusterName = clusterName; }
    public PvcDestinationSpec getPvc() { return pvc; }
    public void setPvc(PvcDestinationSpec pvc) { this.pvc = pvc; }
    public S3DestinationSpec getS3() { return s3; }
    public void setS3(S3DestinationSpec s3) { this.s3 = s3; }
}
