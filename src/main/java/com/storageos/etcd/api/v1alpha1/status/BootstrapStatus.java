package com.storageos.etcd.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * How the cluster was first formed from spec.bootstrap.restore: what member 0 restored, recorded once, when the
 * cluster formed. A field of its own beside status.recovery, which records the last recovery request (an annotation)
 * and is replaced by the next one.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BootstrapStatus {
    @JsonPropertyDescription("The etcd revision member 0 was restored to (the snapshot's, then every recorded change replayed up"
            + " to the target). Unset for a snapshot restored as it is (a backup name, or etcd 3.4).")
    private Long restoredRevision;
    @JsonPropertyDescription("false when the replay stopped short of its target (a chunk failed its checksum or is missing): the"
            + " revisions after restoredRevision, named in message, were not recovered.")
    private Boolean restoredComplete;
    @JsonPropertyDescription("Which snapshot was restored and how far its chain was replayed, as member 0's bootstrap reported it.")
    private String message;
    @JsonPropertyDescription("When the cluster formed on the restored data (RFC 3339).")
    private String formedAt;

    public Long getRestoredRevision() { return restoredRevision; }
    public void setRestoredRevision(Long restoredRevision) { this.restoredRevision = restoredRevision; }
    public Boolean getRestoredComplete() { return restoredComplete; }
    public void setRestoredComplete(Boolean restoredComplete) { this.restoredComplete = restoredComplete; }
    public String getMessage() { return message; }
    public void setMessage(String message) { this.message = message; }
    public String getFormedAt() { return formedAt; }
    public void setFormedAt(String formedAt) { this.formedAt = formedAt; }
}
