package com.storageos.etcd.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class S3DestinationSpec {
    @JsonPropertyDescription("Endpoint URL of the object store; empty for AWS S3.")
    @Pattern("^https?://.+$")
    private String endpoint;

    @JsonPropertyDescription("Bucket name.")
    @Required
    @Size(min = 3, max = 63)
    private String bucket;

    @JsonPropertyDescription("Key prefix; default the namespace and cluster name.")
    private String prefix;

    @JsonPropertyDescription("Region of the bucket.")
    @Default("us-east-1")
    private String region = "us-east-1";

    @JsonPropertyDescription("Secret with keys AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY. Omitted: the AWS SDK's default credential chain, for a cloud identity (IRSA, EKS Pod Identity, instance profile).")
    @Size(min = 1, max = 253)
    private String credentialsSecret;

    @JsonPropertyDescription("Use path-style addressing (endpoint/bucket/key), as MinIO and most self-hosted stores need.")
    @Default("false")
    private Boolean forcePathStyle = false;
    @JsonPropertyDescription("Server-side encryption of the backup objects: AES256 (SSE-S3) or aws:kms (SSE-KMS). Empty: the bucket's default.")
    @Pattern("^(AES256|aws:kms)$")
    private String serverSideEncryption;
    @JsonPropertyDescription("KMS key ID or ARN for aws:kms; empty: the account's default key for S3.")
    @Size(max = 2048)
    private String kmsKeyId;

    public String getEndpoint() { return endpoint; }
    public void setEndpoint(String endpoint) { this.endpoint = endpoint; }
    public String getBucket() { return bucket; }
    public void setBucket(String bucket) { this.bucket = bucket; }
    public String getPrefix() { return prefix; }
    public void setPrefix(String prefix) { this.prefix = prefix; }
    public String getRegion() { return region; }
    public void setRegion(String region) { this.region = region; }
    public String getCredentialsSecret() { return credentialsSecret; }
    public void setCredentialsSecret(String credentialsSecret) { this.credentialsSecret = credentialsSecret; }
    public Boolean getForcePathStyle() { return forcePathStyle; }
    public void setForcePathStyle(Boolean forcePathStyle) { this.forcePathStyle = forcePathStyle; }
    public String getServerSideEncryption() { return serverSideEncryption; }
    public void setServerSideEncryption(String serverSideEncryption) { this.serverSideEncryption = serverSideEncryption; }
    public String getKmsKeyId() { return kmsKeyId; }
    public void setKmsKeyId(String kmsKeyId) { this.kmsKeyId = kmsKeyId; }
}
