package com.storageos.etcd.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;

/** etcd server flags. Defaults follow the StorageOS recommendations (8 GiB quota, revision compaction). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.electionTimeoutMillis >= 5 * self.heartbeatIntervalMillis",
        message = "spec.etcd.electionTimeoutMillis must be at least 5 times heartbeatIntervalMillis")
public class EtcdTuningSpec {
    public static final long DEFAULT_QUOTA = 8L * 1024 * 1024 * 1024;

    @JsonPropertyDescription("Backend quota in bytes; etcd raises a NOSPACE alarm and refuses writes above it. Default 8 GiB, etcd's recommended maximum.")
    @Default("8589934592")
    @Min(16777216)
    @Max(8589934592.0)
    private Long quotaBackendBytes = DEFAULT_QUOTA;

    @JsonPropertyDescription("Auto-compaction mode: revision (keep the last autoCompactionRetention revisions) or periodic (keep a time window).")
    @Default("revision")
    private AutoCompactionMode autoCompactionMode = AutoCompactionMode.revision;

    @JsonPropertyDescription("Auto-compaction retention: a revision count in revision mode (default 12000), a duration such as 1h in periodic mode.")
    @Default("12000")
    @Pattern("^([0-9]+|[0-9]+(ms|s|m|h))$")
    @Size(max = 16)
    private String autoCompactionRetention = "12000";

    @JsonPropertyDescription("Raft heartbeat interval in milliseconds (etcd default 100). Keep it near the round-trip time between members.")
    @Default("100")
    @Min(10)
    @Max(5000)
    private Integer heartbeatIntervalMillis = 100;

    @JsonPropertyDescription("Raft election timeout in milliseconds (etcd default 1000); at least 5 times the heartbeat interval.")
    @Default("1000")
    @Min(50)
    @Max(50000)
    private Integer electionTimeoutMillis = 1000;

    @JsonPropertyDescription("Number of committed transactions that trigger a snapshot to disk (etcd default 100000).")
    @Min(1)
    private Long snapshotCount;

    @JsonPropertyDescription("Extra etcd configuration-file keys (etcd flag names without the leading dashes), for settings this API does not model. Membership, URL and data-dir keys are managed by the operator and cannot be set here.")
    // Bounded so that the API server's cost estimate of the rule below stays small: for an unbounded map it
    // assumes as many entries as fit in a 3 MB request, which puts the estimate near the per-rule limit.
    @Size(max = 64)
    @ValidationRule(value = "self.all(k, !(k in ['name', 'data-dir', 'wal-dir', 'initial-cluster', 'initial-cluster-state', 'initial-cluster-token', 'initial-advertise-peer-urls', 'advertise-client-urls', 'listen-peer-urls', 'listen-client-urls', 'force-new-cluster']))",
            message = "spec.etcd.extraArgs must not set membership, URL or data-dir keys: the operator manages them")
    private Map<String, String> extraArgs;

    public Long getQuotaBackendBytes() { return quotaBackendBytes; }
    public void setQuotaBackendBytes(Long quotaBackendBytes) { this.quotaBackendBytes = quotaBackendBytes; }
    public AutoCompactionMode getAutoCompactionMode() { return autoCompactionMode; }
    public void setAutoCompactionMode(AutoCompactionMode autoCompactionMode) { this.autoCompactionMode = autoCompactionMode; }
    public String getAutoCompactionRetention() { return autoCompactionRetention; }
    public void setAutoCompactionRetention(String autoCompactionRetention) { this.autoCompactionRetention = autoCompactionRetention; }
    public Integer getHeartbeatIntervalMillis() { return heartbeatIntervalMillis; }
    public void setHeartbeatIntervalMillis(Integer heartbeatIntervalMillis) { this.heartbeatIntervalMillis = heartbeatIntervalMillis; }
    public Integer getElectionTimeoutMillis() { return electionTimeoutMillis; }
    public void setElectionTimeoutMillis(Integer electionTimeoutMillis) { this.electionTimeoutMillis = electionTimeoutMillis; }
    public Long getSnapshotCount() { return snapshotCount; }
    public void setSnapshotCount(Long snapshotCount) { this.snapshotCount = snapshotCount; }
    public Map<String, String> getExtraArgs() { return extraArgs; }
    public void setExtraArgs(Map<String, String> extraArgs) { this.extraArgs = extraArgs; }

    public enum AutoCompactionMode { revision, periodic }
}
