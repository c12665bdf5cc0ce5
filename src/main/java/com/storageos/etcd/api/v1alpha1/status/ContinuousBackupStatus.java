package com.storageos.etcd.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Written only by the backup agent (tool follow); the operator reads it for the metrics and never writes it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ContinuousBackupStatus {
    @JsonPropertyDescription("The last revision known safe in the store and since when; absent until the agent's first full snapshot.")
    private RecoveryPointStatus recoveryPoint;
    @JsonPropertyDescription("The full snapshot the agent's chain of changes hangs off.")
    private String snapshot;
    @JsonPropertyDescription("Chunk writes to the store that failed since the agent started (each is retried with the next flush).")
    private Long failedChunkWrites;
    @JsonPropertyDescription("When the agent last wrote this status; it writes at most every 5 s.")
    private String updateTime;

    public RecoveryPointStatus getRecoveryPoint() { return recoveryPoint; }
    public void setRecoveryPoint(RecoveryPointStatus recoveryPoint) { this.recoveryPoint = recoveryPoint; }
    public String getSnapshot() { return snapshot; }
    public void setSnapshot(String snapshot) { this.snapshot = snapshot; }
    public Long getFailedChunkWrites() { return failedChunkWrites; }
    public void setFailedChunkWrites(Long failedChunkWrites) { this.failedChunkWrites = failedChunkWrites; }
    public String getUpdateTime() { return updateTime; }
    public void setUpdateTime(String updateTime) { this.updateTime = updateTime; }
}
