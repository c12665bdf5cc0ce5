package com.storageos.etcd.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/**
 * How far one long operation got, as observed: figures the operator or a tool did not observe are absent, never guessed.
 * The operator writes LearnerCatchUp, Rollout and Restore; the list is keyed by operation, so that another writer's entry merges.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ProgressStatus {
    @Required
    @JsonPropertyDescription("The operation: LearnerCatchUp, Rollout or Restore.")
    private String operation;
    @JsonPropertyDescription("How far it got, in unit; absent while not observed.")
    private Long done;
    @JsonPropertyDescription("Where it ends, in unit; absent while not known.")
    private Long total;
    @JsonPropertyDescription("What done and total count: RaftIndex (a learner's raft index against the leader's), Members, or Bytes.")
    private String unit;
    @JsonPropertyDescription("The same for people, with what is only known once the operation ends.")
    private String message;

    public ProgressStatus() {
    }

    public ProgressStatus(String operation, Long done, Long total, String unit, String message) {
        this.operation = operation;
        this.done = done;
        this.total = total;
        this.unit = unit;
        this.message = message;
    }

    public String getOperation() { return operation; }
    public void setOperation(String operation) { this.operation = operation; }
    public Long getDone() { return done; }
    public void setDone(Long done) { this.done = done; }
    public Long getTotal() { return total; }
    public void setTotal(Long total) { this.total = total; }
    public String getUnit() { return unit; }
    public void setUnit(String unit) { this.unit = unit; }
    public String getMessage() { return message; }
    public void setMessage(String message) { this.message = message; }
}
