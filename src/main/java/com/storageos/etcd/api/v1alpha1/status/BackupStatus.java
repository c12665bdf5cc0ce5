package com.storageos.etcd.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class BackupStatus {
    private String time;
    private Long sizeBytes;
    @JsonPropertyDescription("etcd revision of the member when the snapshot started; the snapshot holds at least this revision.")
    private Long revision;
    private String location;
    private String sha256;
    private Double durationSeconds;
    private String member;
    @JsonPropertyDescription("Set when spec.backup.restoreCheck is on: the newest backup restored into a scratch directory after this backup.")
    private RestoreCheckStatus restoreCheck;

    public String getTime() { return time; }
    public void setTime(String time) { this.time = time; }
    public Long getSizeBytes() { return sizeBytes; }
    public void setSizeBytes(Long sizeBytes) { this.sizeBytes = sizeBytes; }
    public Long getRevision() { return revision; }
    public void setRevision(Long revision) { this.revision = revision; }
    public String getLocation() { return location; }
    public void setLocation(String location) { this.location = location; }
    public String getSha256() { return sha256; }
    public void setSha256(String sha256) { this.sha256 = sha256; }
    public Double getDurationSeconds() { return durationSeconds; }
    public void setDurationSeconds(Double durationSeconds) { this.durationSeconds = durationSeconds; }
    public String getMember() { return member; }
    public void setMember(String member) { this.member = member; }
    public RestoreCheckStatus getRestoreCheck() { return restoreCheck; }
    public void setRestoreCheck(RestoreCheckStatus restoreCheck) { this.restoreCheck = restoreCheck; }
}
