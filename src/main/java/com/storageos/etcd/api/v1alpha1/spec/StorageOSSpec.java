package com.storageos.etcd.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Map;

/** StorageOS learns where etcd is only from StorageOSCluster.spec.kvBackend.address. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StorageOSSpec {
    @JsonPropertyDescription("Name of the StorageOSCluster (storageos.com/v1) to keep in sync.")
    @Required
    @Size(min = 1, max = 253)
    private String name;

    @JsonPropertyDescription("Namespace of the StorageOSCluster; default this cluster's namespace.")
    @Size(max = 63)
    private String namespace;

    @JsonPropertyDescription("Service (default): the client Service's DNS name, which never changes with membership. Members: the voting, healthy members' stable DNS names; a change needs a StorageOS restart.")
    @Default("Service")
    private AddressMode addressMode = AddressMode.Service;

    @JsonPropertyDescription("Patch (default): edit the address in place and report that StorageOS must restart. Recreate: delete and recreate the StorageOSCluster with the new address, as the StorageOS migration guide does by hand (restarts StorageOS).")
    @Default("Patch")
    private UpdatePolicy updatePolicy = UpdatePolicy.Patch;

    @JsonPropertyDescription("Seconds the voter set must stay unchanged before the address is written, so that a pod restart causes no flapping.")
    @Default("30")
    @Min(0)
    @Max(3600)
    private Integer settleSeconds = 30;

    @JsonPropertyDescription("Labels of the StorageOS node pods, in the StorageOSCluster's namespace; default app=storageos,"
            + " app.kubernetes.io/component=control-plane (the StorageOS operator's node DaemonSet). A node reads the address only"
            + " when its pod starts: the operator watches these pods to tell whether StorageOS still uses an old address.")
    @Size(max = 20)
    private Map<String, String> nodePodLabels;

    @JsonPropertyDescription("Who restarts the StorageOS node pods after a migration switched the address to this cluster's members"
            + " (no external member is removed before every one of them restarted). Manual (default): a person deletes them, one at a"
            + " time; the Progressing condition names each with the command. Evict: the operator restarts them itself, one at a"
            + " time through the Eviction API (a PodDisruptionBudget of StorageOS's is honoured), each Ready before the next.")
    @Default("Manual")
    private NodeRestart nodeRestart = NodeRestart.Manual;

    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public String getNamespace() { return namespace; }
    public void setNamespace(String namespace) { this.namespace = namespace; }
    public AddressMode getAddressMode() { return addressMode; }
    public void setAddressMode(AddressMode addressMode) { this.addressMode = addressMode; }
    public UpdatePolicy getUpdatePolicy() { return updatePolicy; }
    public void setUpdatePolicy(UpdatePolicy updatePolicy) { this.updatePolicy = updatePolicy; }
    public Integer getSettleSeconds() { return settleSeconds; }
    public void setSettleSeconds(Integer settleSeconds) { this.settleSeconds = settleSeconds; }

    public Map<String, String> getNodePodLabels() { return nodePodLabels; }
    public void setNodePodLabels(Map<String, String> nodePodLabels) { this.nodePodLabels = nodePodLabels; }

    public NodeRestart getNodeRestart() { return nodeRestart; }
    public void setNodeRestart(NodeRestart nodeRestart) { this.nodeRestart = nodeRestart; }

    public enum AddressMode { Service, Members }
    public enum UpdatePolicy { Patch, Recreate }
    public enum NodeRestart { Manual, Evict }
}
