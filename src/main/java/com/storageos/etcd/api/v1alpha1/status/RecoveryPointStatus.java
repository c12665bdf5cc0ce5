package com.storageos.etcd.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class RecoveryPointStatus {
    @JsonPropertyDescription("Every revision up to this one is in the store: a full snapshot and its chain of changes.")
    private Long revision;
    @JsonPropertyDescription("When the store was last known complete up to the revision: when its newest change was seen, or when etcd"
            + " last confirmed that nothing newer exists. Its age is what a restore to latest would lose now.")
    private String time;

    public RecoveryPointStatus() {
    }

    public RecoveryPointStatus(Long revision, String time) {
        this.revision = revision;
        this.time = time;
    }

    public Long getRevision() { return revision; }
    public void setRevision(Long revision) { this.revision = revision; }
    public String getTime() { return time; }
    public void setTime(String time) { this.time = time; }
}
