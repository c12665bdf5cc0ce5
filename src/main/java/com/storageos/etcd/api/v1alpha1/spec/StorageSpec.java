package com.storageos.etcd.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
// Here and not on the field: a rule on the field runs only when the stored object has it, so setting or clearing the class would pass.
@ValidationRule(value = "has(self.storageClassName) == has(oldSelf.storageClassName) && (!has(self.storageClassName) || self.storageClassName == oldSelf.storageClassName)",
        message = "spec.storage.storageClassName is immutable")
public class StorageSpec {
    // Kubernetes 1.26 has no CEL quantity library, so sizes are restricted to Mi/Gi/Ti and compared in MiB.
    private static final String OLD_MIB = "(int(oldSelf.substring(0, oldSelf.size() - 2)) * (oldSelf.endsWith('Ti') ? 1048576 : oldSelf.endsWith('Gi') ? 1024 : 1))";
    private static final String NEW_MIB = "(int(self.substring(0, self.size() - 2)) * (self.endsWith('Ti') ? 1048576 : self.endsWith('Gi') ? 1024 : 1))";
    static final String SIZE_PATTERN = "^[1-9][0-9]{0,5}(Mi|Gi|Ti)$";

    @JsonPropertyDescription("Size of each member's volume, in Mi, Gi or Ti (for example 10Gi). May grow, never shrink. Keep it above spec.etcd.quotaBackendBytes.")
    @Default("10Gi")
    @Pattern(SIZE_PATTERN)
    @Size(max = 8)
    @ValidationRule(value = NEW_MIB + " >= " + OLD_MIB, message = "spec.storage.size must not shrink")
    private String size = "10Gi";

    @JsonPropertyDescription("StorageClass of the member volumes; the cluster default when empty. Immutable.")
    @Size(max = 253)
    private String storageClassName;

    @JsonPropertyDescription("What happens to a member's volume when scale-down removes the member: Delete (default) or Retain.")
    @Default("Delete")
    private VolumeReclaimPolicy reclaimPolicy = VolumeReclaimPolicy.Delete;

    public String getSize() { return size; }
    public void setSize(String size) { this.size = size; }
    public String getStorageClassName() { return storageClassName; }
    public void setStorageClassName(String storageClassName) { this.storageClassName = storageClassName; }
    public VolumeReclaimPolicy getReclaimPolicy() { return reclaimPolicy; }
    public void setReclaimPolicy(VolumeReclaimPolicy reclaimPolicy) { this.reclaimPolicy = reclaimPolicy; }

    public enum VolumeReclaimPolicy { Delete, Retain }
}
