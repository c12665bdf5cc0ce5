package com.storageos.etcd.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * The last member pod the operator restarted, recorded with a compare-and-swap before the pod is evicted or deleted, as a
 * membership change is: of two operators in a leader-election overlap only one restarts a pod from the same reading.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PodRestartStatus {
    @JsonPropertyDescription("The member pod restarted.")
    private String pod;
    @JsonPropertyDescription("UID of the pod restarted. The eviction or delete carries it as a precondition, so that a pod that was"
            + " already replaced is never restarted again.")
    private String podUid;
    @JsonPropertyDescription("Eviction (through the PodDisruptionBudget, as a node drain) or Delete (a recovery, when quorum is already"
            + " lost, or a cluster of fewer than 3 voters, whose budget allows no disruption at all).")
    private String via;
    @JsonPropertyDescription("Why the pod restarted.")
    private String reason;
    @JsonPropertyDescription("When the restart was recorded (RFC 3339).")
    private String requestedAt;

    public PodRestartStatus() {
    }

    public PodRestartStatus(String pod, String podUid, String via, String reason, String requestedAt) {
        this.pod = pod;
        this.podUid = podUid;
        this.via = via;
        this.reason = reason;
        this.requestedAt = requestedAt;
    }

    public String getPod() { return pod; }
    public void setPod(String pod) { this.pod = pod; }
    public String getPodUid() { return podUid; }
    public void setPodUid(String podUid) { this.podUid = podUid; }
    public String getVia() { return via; }
    public void setVia(String via) { this.via = via; }
    public String getReason() { return reason; }
    public void setReason(String reason) { this.reason = reason; }
    public String getRequestedAt() { return requestedAt; }
    public void setRequestedAt(String requestedAt) { this.requestedAt = requestedAt; }
}
