package com.storageos.etcd.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** Take over a running etcd cluster outside this operator: join it as learners, switch StorageOS, retire its members. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.tls) || !self.endpoints.exists(e, e.startsWith('http://'))",
        message = "spec.bootstrap.join.tls is for https:// endpoints: a plain http:// endpoint would carry the client certificate nowhere")
@ValidationRule(value = "has(self.tls) || !self.endpoints.exists(e, e.startsWith('https://'))",
        message = "spec.bootstrap.join: https:// endpoints need tls.secretName, a client certificate the external cluster accepts")
@ValidationRule(value = "!has(self.peerAddressing) || self.peerAddressing != 'PodIP' || !has(self.removeExternalMembers) || self.removeExternalMembers",
        message = "spec.bootstrap.join.peerAddressing PodIP needs removeExternalMembers: pod-IP peer URLs are kept current only while the"
                + " migration runs, and it ends by moving every member back to its DNS peer URL once the external members are gone")
public class JoinSpec {
    @JsonPropertyDescription("Client URLs of the external cluster's members (http://host:port, or https://host:port with tls),"
            + " reachable from the operator.")
    @Required
    @Size(min = 1, max = 16)
    // startsWith costs by its argument, not by the (unbounded) endpoint, so this stays inside the CRD's CEL budget.
    @ValidationRule(value = "self.all(e, (e.startsWith('http://') && size(e) > 7 || e.startsWith('https://') && size(e) > 8) && size(e) <= 256)",
            message = "spec.bootstrap.join.endpoints must be http://host:port or https://host:port client URLs")
    private List<String> endpoints = new ArrayList<>();

    @JsonPropertyDescription("The client certificate and CA for an external cluster that serves its clients over mutual TLS"
            + " (https:// endpoints); required with https:// endpoints, refused with http:// ones.")
    private JoinTlsSpec tls;

    @JsonPropertyDescription("Remove the external members once this cluster's members vote and StorageOS uses them (default true)."
            + " With false the external members stay, and this cluster keeps sharing its membership with them.")
    @Default("true")
    private Boolean removeExternalMembers = true;

    @JsonPropertyDescription("The peer URLs this cluster's members are advertised under while external members exist: ServiceDNS"
            + " (default), the headless Service's names; or PodIP, http://<podIP>:2380, for external nodes that reach pod IPs but cannot"
            + " resolve cluster DNS. With PodIP each learner is added at its pod's IP (its pod starts first), a voter whose pod comes"
            + " back with a new IP follows it (member update), and every member moves back to its DNS name once the external members"
            + " are removed. Not with spec.tls.peer, nor with removeExternalMembers false.")
    @Default("ServiceDNS")
    private PeerAddressing peerAddressing = PeerAddressing.ServiceDNS;

    public List<String> getEndpoints() { return endpoints; }
    public void setEndpoints(List<String> endpoints) { this.endpoints = endpoints; }
    public JoinTlsSpec getTls() { return tls; }
    public void setTls(JoinTlsSpec tls) { this.tls = tls; }
    public Boolean getRemoveExternalMembers() { return removeExternalMembers; }
    public void setRemoveExternalMembers(Boolean removeExternalMembers) { this.removeExternalMembers = removeExternalMembers; }

    public PeerAddressing getPeerAddressing() { return peerAddressing; }
    public void setPeerAddressing(PeerAddressing peerAddressing) { this.peerAddressing = peerAddressing; }

    public boolean advertisesPodIps() {
        return peerAddressing == PeerAddressing.PodIP;
    }

    public boolean removesExternalMembers() {
        return !Boolean.FALSE.equals(removeExternalMembers);
    }
}
