package com.storageos.etcd.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The copies of a member's data moved aside on its volume, as its bootstrap last reported them. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MovedAsideStatus {
    @JsonPropertyDescription("How many copies are kept (data.stale-* and data.before-recovery-*; at most 2 of each, the oldest goes first).")
    private Integer copies;
    @JsonPropertyDescription("Their size on the volume, in bytes.")
    private Long bytes;
    @JsonPropertyDescription("When the oldest kept copy was moved aside (RFC 3339).")
    private String oldest;

    public MovedAsideStatus() {
    }

    public MovedAsideStatus(Integer copies, Long bytes, String oldest) {
        this.copies = copies;
        this.bytes = bytes;
        this.oldest = oldest;
    }

    public Integer getCopies() { return copies; }
    public void setCopies(Integer copies) { this.copies = copies; }
    public Long getBytes() { return bytes; }
    public void setBytes(Long bytes) { this.bytes = bytes; }
    public String getOldest() { return oldest; }
    public void setOldest(String oldest) { this.oldest = oldest; }
}
