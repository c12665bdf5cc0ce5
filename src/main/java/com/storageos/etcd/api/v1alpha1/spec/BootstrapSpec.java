package com.storageos.etcd.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class BootstrapSpec {
    @JsonPropertyDescription("Seed member 0 of this new cluster from a backup; the learner loop then grows it to spec.replicas.")
    private RestoreSpec restore;

    public RestoreSpec getRestore() { return restore; }
    public void setRestore(RestoreSpec restore) { this.restore = restore; }
}
