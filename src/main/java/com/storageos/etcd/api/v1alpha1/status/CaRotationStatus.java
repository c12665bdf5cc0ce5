package com.storageos.etcd.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * The replacement of a cluster's generated CA, one stage at a time. Written before each stage acts, so that an
 * operator that restarts carries on from the stage recorded here.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CaRotationStatus {
    @JsonPropertyDescription("Bundling (every trust file holds the old and the new CA; the members restart one at a time),"
            + " Reissuing (every certificate is reissued from the new CA; done once every member serves one on both ports),"
            + " Dropping (the old CA leaves every trust file and its key is deleted; the members restart once more) or Completed.")
    private String phase;
    @JsonPropertyDescription("Request (the etcd.storageos.com/rotate-ca annotation) or Renewal (the CA reached its renewAfter).")
    private String trigger;
    @JsonPropertyDescription("The last etcd.storageos.com/rotate-ca value served: a value is served once; a new value is a new request.")
    private String request;
    @JsonPropertyDescription("When this rotation started and completed (RFC 3339).")
    private String startedAt;
    private String completedAt;
    @JsonPropertyDescription("The new CA's SHA-256 fingerprint (hex, first 16 characters).")
    private String newCa;

    public CaRotationStatus() {
    }

    public CaRotationStatus(String phase, String trigger, String request, String startedAt, String completedAt, String newCa) {
        this.phase = phase;
        this.trigger = trigger;
        this.request = request;
        this.startedAt = startedAt;
        this.completedAt = completedAt;
        this.newCa = newCa;
    }

    public String getPhase() { return phase; }
    public void setPhase(String phase) { this.phase = phase; }
    public String getTrigger() { return trigger; }
    public void setTrigger(String trigger) { this.trigger = trigger; }
    public String getRequest() { return request; }
    public void setRequest(String request) { this.request = request; }
    public String getStartedAt() { return startedAt; }
    public void setStartedAt(String startedAt) { this.startedAt = startedAt; }
    public String getCompletedAt() { return completedAt; }
    public void setCompletedAt(String completedAt) { this.completedAt = completedAt; }
    public String getNewCa() { return newCa; }
    public void setNewCa(String newCa) { this.newCa = newCa; }
}
