package com.storageos.etcd.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Map;

/**
 * The last recovery request (the etcd.storageos.com/recover-from-survivor or etcd.storageos.com/restore-from-backup
 * annotation) and what the operator did with it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RecoveryStatus {
    @JsonPropertyDescription("The annotation value this record is about. A value is served once; a new value is a new request.")
    private String request;
    @JsonPropertyDescription("FromSurvivor (recover-from-survivor), FromBackup (restore-from-backup), or Abort (abort-recovery,"
            + " recorded so only when there was no recovery to abort).")
    private String method;
    @JsonPropertyDescription("The last value served of each request annotation, by annotation: a value is served once.")
    private Map<String, String> handled;
    @JsonPropertyDescription("FromBackup: the backup asked for, 'latest' or a backup name, and where it is read from.")
    private String backup;
    private String backupSource;
    @JsonPropertyDescription("FromBackup, once member 0 runs on the restored data: the etcd revision it was restored to (the"
            + " snapshot's, then every recorded change replayed up to the target). Unset for etcd 3.4, restored from the snapshot alone.")
    private Long restoredRevision;
    @JsonPropertyDescription("FromBackup: false when the replay stopped short of its target (a chunk failed its checksum or is"
            + " missing): the revisions after restoredRevision, named in message, were not recovered.")
    private Boolean restoredComplete;
    @JsonPropertyDescription("Who set the annotation, as the API server recorded it in managedFields: the field manager"
            + " (kubectl-annotate for kubectl annotate) and the operation. The user identity is in the API server's audit log.")
    private String requestedBy;
    @JsonPropertyDescription("When the annotation was written (managedFields time, RFC 3339).")
    private String requestedAt;
    @JsonPropertyDescription("Refused, InProgress, Completed, or Aborted (quorum came back before a destructive step of a recovery"
            + " that was not forced, or an abort-recovery request closed it).")
    private String outcome;
    @JsonPropertyDescription("Why it was refused, or what was done.")
    private String message;
    @JsonPropertyDescription("The member the cluster is recovered from: the highest raft index of the members that answered.")
    private String survivor;
    private Long survivorRaftIndex;
    private Long survivorRevision;
    @JsonPropertyDescription("The other members, removed from the membership; their data is moved aside on their volumes"
            + " (data.before-recovery-<epoch millis>), never deleted.")
    private List<String> removedMembers;
    private String startedAt;
    private String completedAt;
    @JsonPropertyDescription("FromBackup: the initial-cluster-token member 0 restores the backup under, recorded with the journal"
            + " before any pod restarts. One per restore, so the restored cluster has a new cluster ID and new member IDs, and a"
            + " member still on data from before the restore is refused by etcd and replaced by the operator.")
    private String clusterToken;

    public Long getRestoredRevision() { return restoredRevision; }
    public void setRestoredRevision(Long restoredRevision) { this.restoredRevision = restoredRevision; }
    public Boolean getRestoredComplete() { return restoredComplete; }
    public void setRestoredComplete(Boolean restoredComplete) { this.restoredComplete = restoredComplete; }
    public String getClusterToken() { return clusterToken; }
    public void setClusterToken(String clusterToken) { this.clusterToken = clusterToken; }
    public String getRequest() { return request; }
    public void setRequest(String request) { this.request = request; }
    public String getMethod() { return method; }
    public void setMethod(String method) { this.method = method; }
    public Map<String, String> getHandled() { return handled; }
    public void setHandled(Map<String, String> handled) { this.handled = handled; }
    public String getBackup() { return backup; }
    public void setBackup(String backup) { this.backup = backup; }
    public String getBackupSource() { return backupSource; }
    public void setBackupSource(String backupSource) { this.backupSource = backupSource; }
    public String getRequestedBy() { return requestedBy; }
    public void setRequestedBy(String requestedBy) { this.requestedBy = requestedBy; }
    public String getRequestedAt() { return requestedAt; }
    public void setRequestedAt(String requestedAt) { this.requestedAt = requestedAt; }
    public String getOutcome() { return outcome; }
    public void setOutcome(String outcome) { this.outcome = outcome; }
    public String getMessage() { return message; }
    public void setMessage(String message) { this.message = message; }
    public String getSurvivor() { return survivor; }
    public void setSurvivor(String survivor) { this.survivor = survivor; }
    public Long getSurvivorRaftIndex() { return survivorRaftIndex; }
    public void setSurvivorRaftIndex(Long survivorRaftIndex) { this.survivorRaftIndex = survivorRaftIndex; }
    public Long getSurvivorRevision() { return survivorRevision; }
    public void setSurvivorRevision(Long survivorRevision) { this.survivorRevision = survivorRevision; }
    public List<String> getRemovedMembers() { return removedMembers; }
    public void setRemovedMembers(List<String> removedMembers) { this.removedMembers = removedMembers; }
    public String getStartedAt() { return startedAt; }
    public void setStartedAt(String startedAt) { this.startedAt = startedAt; }
    public String getCompletedAt() { return completedAt; }
    public void setCompletedAt(String completedAt) { this.completedAt = completedAt; }
}
