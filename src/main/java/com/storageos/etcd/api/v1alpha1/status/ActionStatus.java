package com.storageos.etcd.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * The last act outside a journal write the operator made (a promotion, a leader move, a peer URL update, a StatefulSet
 * replica change), recorded with a compare-and-swap just before it happens: of two operators in a leader-election overlap
 * only one acts on the same reading.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ActionStatus {
    @JsonPropertyDescription("The step: PromoteLearner, MoveLeader, UpdatePeerUrl, StartMember, RestorePods or RetireOrdinal.")
    private String step;
    @JsonPropertyDescription("What it acts on: the member, or the StatefulSet's new replica count.")
    private String target;
    @JsonPropertyDescription("When the act was recorded (RFC 3339), just before it was made.")
    private String requestedAt;

    public ActionStatus() {
    }

    public ActionStatus(String step, String target, String requestedAt) {
        this.step = step;
        this.target = target;
        this.requestedAt = requestedAt;
    }

    public String getStep() { return step; }
    public void setStep(String step) { this.step = step; }
    public String getTarget() { return target; }
    public void setTarget(String target) { this.target = target; }
    public String getRequestedAt() { return requestedAt; }
    public void setRequestedAt(String requestedAt) { this.requestedAt = requestedAt; }
}
