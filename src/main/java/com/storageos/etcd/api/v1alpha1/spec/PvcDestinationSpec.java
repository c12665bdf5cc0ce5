package com.storageos.etcd.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class PvcDestinationSpec {
    @JsonPropertyDescription("Name of an existing PersistentVolumeClaim in the cluster's namespace.")
    @Required
    @Size(min = 1, max = 253)
    private String claimName;

    @JsonPropertyDescription("Directory inside the volume; default the cluster's name.")
    @Size(max = 253)
    private String path;

    public String getClaimName() { return claimName; }
    public void setClaimName(String claimName) { this.claimName = claimName; }
    public String getPath() { return path; }
    public void setPath(String path) { this.path = path; }
}
