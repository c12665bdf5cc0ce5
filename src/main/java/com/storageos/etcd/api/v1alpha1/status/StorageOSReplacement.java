package com.storageos.etcd.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * The updatePolicy Recreate replacement of a StorageOSCluster, recorded before the old object is deleted, so that the new
 * one is created even if the operator stops between the delete and the create.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StorageOSReplacement {
    @JsonPropertyDescription("UID of the StorageOSCluster being replaced. Its delete carries this UID as a precondition: no other"
            + " object of that name is ever deleted.")
    private String replacesUid;
    @JsonPropertyDescription("The spec.kvBackend.address the replacement has.")
    private String address;
    @JsonPropertyDescription("The replacement StorageOSCluster as JSON: the old object's labels, annotations and spec with the new"
            + " address. It is created once the old object is gone; this field is cleared once the new object exists.")
    private String manifest;

    public StorageOSReplacement() {
    }

    public StorageOSReplacement(String replacesUid, String address, String manifest) {
        this.replacesUid = replacesUid;
        this.address = address;
        this.manifest = manifest;
    }

    public String getReplacesUid() { return replacesUid; }
    public void setReplacesUid(String replacesUid) { this.replacesUid = replacesUid; }
    public String getAddress() { return address; }
    public void setAddress(String address) { this.address = address; }
    public String getManifest() { return manifest; }
    public void setManifest(String manifest) { this.manifest = manifest; }
}
