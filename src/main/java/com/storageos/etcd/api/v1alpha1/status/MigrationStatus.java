package com.storageos.etcd.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** A migration from an external etcd cluster (spec.bootstrap.join): the plan shown before approval, then its progress. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MigrationStatus {
    @JsonPropertyDescription("Proposed (waiting for approval), Joining, SwitchingClients, AwaitingStorageOSRestart, RemovingExternalMembers or Completed;"
            + " RollingBack and Failed after a failure while joining.")
    private String phase;
    @JsonPropertyDescription("Identifies the plan below. Approve it with the annotation etcd.storageos.com/approve-migration=<planId>;"
            + " a plan that changed (the external membership moved) needs a new approval.")
    private String planId;
    @JsonPropertyDescription("What the operator will do, step by step.")
    private List<String> plan;
    @JsonPropertyDescription("etcd IDs (hex) of the external members, as found when the plan was made.")
    private List<String> externalMembers;
    @JsonPropertyDescription("The reason of the failure (phases RollingBack and Failed), as in the Degraded condition.")
    private String failureReason;
    @JsonPropertyDescription("What made the migration fail (phases RollingBack and Failed).")
    private String failure;
    @JsonPropertyDescription("When StorageOS's address was switched to this cluster's members (RFC 3339). Its node pods read the address"
            + " only when they start: no external member is removed until every one of them started after this time.")
    private String storageosSwitchedAt;
    @JsonPropertyDescription("With spec.storageos.nodeRestart Evict, while the migration awaits StorageOS's restart: the node pod"
            + " the operator evicted last.")
    private StorageOSNodeRestartStatus storageosNodeRestart;

    public String getPhase() { return phase; }
    public void setPhase(String phase) { this.phase = phase; }
    public String getPlanId() { return planId; }
    public void setPlanId(String planId) { this.planId = planId; }
    public List<String> getPlan() { return plan; }
    public void setPlan(List<String> plan) { this.plan = plan; }
    public List<String> getExternalMembers() { return externalMembers; }
    public void setExternalMembers(List<String> externalMembers) { this.externalMembers = externalMembers; }
    public String getFailureReason() { return failureReason; }
    public void setFailureReason(String failureReason) { this.failureReason = failureReason; }
    public String getFailure() { return failure; }
    public void setFailure(String failure) { this.failure = failure; }
    public String getStorageosSwitchedAt() { return storageosSwitchedAt; }
    public void setStorageosSwitchedAt(String storageosSwitchedAt) { this.storageosSwitchedAt = storageosSwitchedAt; }
    public StorageOSNodeRestartStatus getStorageosNodeRestart() { return storageosNodeRestart; }
    public void setStorageosNodeRestart(StorageOSNodeRestartStatus storageosNodeRestart) { this.storageosNodeRestart = storageosNodeRestart; }
}
