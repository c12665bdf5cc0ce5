package com.storageos.etcd.api.storageos;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** Owned by the StorageOS operator; we only read the phase for messages. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class StorageOSClusterStatus {
    private String phase;

    public String getPhase() { return phase; }
    public void setPhase(String phase) { this.phase = phase; }
}
