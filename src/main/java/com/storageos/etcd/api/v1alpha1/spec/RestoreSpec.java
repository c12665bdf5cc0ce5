package com.storageos.etcd.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.pvc) != has(self.s3)", message = "spec.bootstrap.restore needs exactly one source: pvc or s3")
public class RestoreSpec {
    @JsonPropertyDescription("Backup to restore: its file name or object key, or 'latest'.")
    @Default("latest")
    @Size(min = 1, max = 1024)
    private String backup = "latest";

    @JsonPropertyDescription("Read the backup from this PersistentVolumeClaim.")
    private PvcDestinationSpec pvc;

    @JsonPropertyDescription("Read the backup from this S3-compatible object store.")
    private S3DestinationSpec s3;

    public String getBackup() { return backup; }
    public void setBackup(String backup) { this.backup = backup; }
    public PvcDestinationSpec getPvc() { return pvc; }
    public void setPvc(PvcDestinationSpec pvc) { this.pvc = pvc; }
    public S3DestinationSpec getS3() { return s3; }
    public void setS3(S3DestinationSpec s3) { this.s3 = s3; }
}
