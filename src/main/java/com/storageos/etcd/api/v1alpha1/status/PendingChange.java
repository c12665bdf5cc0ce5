package com.storageos.etcd.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/**
 * The membership journal: one change in flight. The operator writes it, with optimistic locking,
 * before it acts, and the member bootstrap tool reads it to learn how to join.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PendingChange {
    @JsonPropertyDescription("Bootstrap, ScaleUp, ScaleDown, ReplaceMember, RecoverFromSurvivor or RestoreFromBackup.")
    private String operation;
    @JsonPropertyDescription("Progress within the operation, for example AddRequested, MemberAdded, RemoveRequested, MemberRemoved,"
            + " ForceNewCluster, ClearForceFlag, SeedFromBackup.")
    private String phase;
    @JsonPropertyDescription("StatefulSet ordinal of the member being changed.")
    private Integer ordinal;
    private String memberName;
    private String peerURL;
    @JsonPropertyDescription("etcd ID (hex) of the member this change added or removes.")
    private String memberId;
    @JsonPropertyDescription("For a joining member: etcd's initial-cluster, exactly the member list right after the add.")
    private String initialCluster;
    @JsonPropertyDescription("When the operation started (RFC 3339).")
    private String startedAt;
    @JsonPropertyDescription("When the current phase started (RFC 3339).")
    private String phaseStartedAt;
    @JsonPropertyDescription("For a Bootstrap: ordinals above 0 whose data claims existed when it started. Their members come back"
            + " on their data, and member 0 never forms a new cluster over them.")
    private List<Integer> retainedOrdinals;
    @JsonPropertyDescription("For a RecoverFromSurvivor or RestoreFromBackup: asked with a force- value, so it goes on even if quorum"
            + " returns before its next destructive step (without it, the recovery closes as Aborted then).")
    private Boolean forced;
    @JsonPropertyDescription("Counts the journal writes; every write changes it, so that two operators that read the same"
            + " resourceVersion cannot both record and act.")
    private Long sequence;

    public String getOperation() { return operation; }
    public void setOperation(String operation) { this.operation = operation; }
    public String getPhase() { return phase; }
    public void setPhase(String phase) { this.phase = phase; }
    public Integer getOrdinal() { return ordinal; }
    public void setOrdinal(Integer ordinal) { this.ordinal = ordinal; }
    public String getMemberName() { return memberName; }
    public void setMemberName(String memberName) { this.memberName = memberName; }
    public String getPeerURL() { return peerURL; }
    public void setPeerURL(String peerURL) { this.peerURL = peerURL; }
    public String getMemberId() { return memberId; }
    public void setMemberId(String memberId) { this.memberId = memberId; }
    public String getInitialCluster() { return initialCluster; }
    public void setInitialCluster(String initialCluster) { this.initialCluster = initialCluster; }
    public String getStartedAt() { return startedAt; }
    public void setStartedAt(String startedAt) { this.startedAt = startedAt; }
    public String getPhaseStartedAt() { return phaseStartedAt; }
    public void setPhaseStartedAt(String phaseStartedAt) { this.phaseStartedAt = phaseStartedAt; }
    public List<Integer> getRetainedOrdinals() { return retainedOrdinals; }
    public void setRetainedOrdinals(List<Integer> retainedOrdinals) { this.retainedOrdinals = retainedOrdinals; }
    public Boolean getForced() { return forced; }
    public void setForced(Boolean forced) { this.forced = forced; }
    public Long getSequence() { return sequence; }
    public void setSequence(Long sequence) { this.sequence = sequence; }
}
