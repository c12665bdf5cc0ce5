package com.storageos.etcd.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import java.util.List;
import java.util.Map;

/** What users may set on the member pods. Everything else on the pod belongs to the operator. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PodTemplateSpec {
    @JsonPropertyDescription("Extra labels on the member pods. The operator's own labels win on conflict.")
    private Map<String, String> labels;
    @JsonPropertyDescription("Extra annotations on the member pods.")
    private Map<String, String> annotations;
    @JsonPropertyDescription("Affinity of the member pods and of the backup and defrag pods. When empty, members prefer distinct nodes (required anti-affinity would block scheduling on small clusters) and the tools have none.")
    private Affinity affinity;
    @JsonPropertyDescription("Node selector of the member pods and of the backup and defrag pods.")
    private Map<String, String> nodeSelector;
    @JsonPropertyDescription("Tolerations of the member pods and of the backup and defrag pods.")
    private List<Toleration> tolerations;
    @JsonPropertyDescription("Topology spread constraints of the member pods, for example across zones.")
    private List<TopologySpreadConstraint> topologySpreadConstraints;
    @JsonPropertyDescription("PriorityClass of the member pods and of the backup and defrag pods. StorageOS depends on etcd: a high priority avoids eviction under pressure.")
    private String priorityClassName;
    @JsonPropertyDescription("Pod security context of the member pods and of the backup and defrag pods. The default meets the restricted Pod Security Standard.")
    private PodSecurityContext securityContext;
    @JsonPropertyDescription("Secrets in this namespace for pulling the etcd image and the operator's image (the members' init container, backup and defrag), added to those the operator is installed with.")
    private List<LocalObjectReference> imagePullSecrets;

    public Map<String, String> getLabels() { return labels; }
    public void setLabels(Map<String, String> labels) { this.labels = labels; }
    public Map<String, String> getAnnotations() { return annotations; }
    public void setAnnotations(Map<String, String> annotations) { this.annotations = annotations; }
    public Affinity getAffinity() { return affinity; }
    public void setAffinity(Affinity affinity) { this.affinity = affinity; }
    public Map<String, String> getNodeSelector() { return nodeSelector; }
    public void setNodeSelector(Map<String, String> nodeSelector) { this.nodeSelector = nodeSelector; }
    public List<Toleration> getTolerations() { return tolerations; }
    public void setTolerations(List<Toleration> tolerations) { this.tolerations = tolerations; }
    public List<TopologySpreadConstraint> getTopologySpreadConstraints() { return topologySpreadConstraints; }
    public void setTopologySpreadConstraints(List<TopologySpreadConstraint> c) { this.topologySpreadConstraints = c; }
    public String getPriorityClassName() { return priorityClassName; }
    public void setPriorityClassName(String priorityClassName) { this.priorityClassName = priorityClassName; }
    public List<LocalObjectReference> getImagePullSecrets() { return imagePullSecrets; }
    public void setImagePullSecrets(List<LocalObjectReference> imagePullSecrets) { this.imagePullSecrets = imagePullSecrets; }
    public PodSecurityContext getSecurityContext() { return securityContext; }
    public void setSecurityContext(PodSecurityContext securityContext) { this.securityContext = securityContext; }
}
