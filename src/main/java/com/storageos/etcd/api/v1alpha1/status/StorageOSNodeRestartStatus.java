package com.storageos.etcd.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * With spec.storageos.nodeRestart Evict: the StorageOS node pod the operator restarts, recorded before its eviction, so that an
 * operator that restarted waits for its replacement to be Ready before it evicts the next one.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StorageOSNodeRestartStatus {
    @JsonPropertyDescription("The StorageOS node pod evicted.")
    private String pod;
    @JsonPropertyDescription("UID of that pod; the eviction carries it as a precondition, so that its replacement is never evicted for it.")
    private String podUid;
    @JsonPropertyDescription("The node it ran on: the node DaemonSet's replacement there must be Ready before the next eviction.")
    private String node;
    @JsonPropertyDescription("When the eviction was recorded (RFC 3339).")
    private String requestedAt;

    public StorageOSNodeRestartStatus() {
    }

    public StorageOSNodeRestartStatus(String pod, String podUid, String node, String requestedAt) {
        this.pod = pod;
        this.podUid = podUid;
        this.node = node;
        this.requestedAt = requestedAt;
    }

    public String getPod() { return pod; }
    public void setPod(String pod) { this.pod = pod; }
    public String getPodUid() { return podUid; }
    public void setPodUid(String podUid) { this.podUid = podUid; }
    public String getNode() { return node; }
    public void setNode(String node) { this.node = node; }
    public String getRequestedAt() { return requestedAt; }
    public void setRequestedAt(String requestedAt) { this.requestedAt = requestedAt; }
}
