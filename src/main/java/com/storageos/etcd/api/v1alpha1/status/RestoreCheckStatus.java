package com.storageos.etcd.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The result of restoring the newest backup into a scratch directory (spec.backup.restoreCheck). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RestoreCheckStatus {
    private String time;
    @JsonPropertyDescription("The backup that was restored: the newest in the store.")
    private String backup;
    private Boolean succeeded;
    private Double durationSeconds;
    @JsonPropertyDescription("What the restore did, or why it failed.")
    private String message;
    @JsonPropertyDescription("The newest backup that passed a restore check, this one or an earlier one: retention keeps it while newer backups fail theirs.")
    private String lastPassedBackup;

    public String getTime() { return time; }
    public void setTime(String time) { this.time = time; }
    public String getBackup() { return backup; }
    public void setBackup(String backup) { this.backup = backup; }
    public Boolean getSucceeded() { return succeeded; }
    public void setSucceeded(Boolean succeeded) { this.succeeded = succeeded; }
    public Double getDurationSeconds() { return durationSeconds; }
    public void setDurationSeconds(Double durationSeconds) { this.durationSeconds = durationSeconds; }
    public String getMessage() { return message; }
    public void setMessage(String message) { this.message = message; }
    public String getLastPassedBackup() { return lastPassedBackup; }
    public void setLastPassedBackup(String lastPassedBackup) { this.lastPassedBackup = lastPassedBackup; }
}
