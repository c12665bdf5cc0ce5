package com.storageos.etcd.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class StorageOSSyncStatus {
    private String address;
    private String lastWriteTime;
    private String votersStableSince;
    private String voters;
    @JsonPropertyDescription("With updatePolicy Recreate: the StorageOSCluster that replaces the one being deleted, until it exists.")
    private StorageOSReplacement replacement;

    public String getAddress() { return address; }
    public void setAddress(String address) { this.address = address; }
    public String getLastWriteTime() { return lastWriteTime; }
    public void setLastWriteTime(String lastWriteTime) { this.lastWriteTime = lastWriteTime; }
    public String getVotersStableSince() { return votersStableSince; }
    public void setVotersStableSince(String votersStableSince) { this.votersStableSince = votersStableSince; }
    public String getVoters() { return voters; }
    public void setVoters(String voters) { this.voters = voters; }
    public StorageOSReplacement getReplacement() { return replacement; }
    public void setReplacement(StorageOSReplacement replacement) { this.replacement = replacement; }
}
