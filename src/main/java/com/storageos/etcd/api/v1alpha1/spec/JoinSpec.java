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

    public List<String> getEndpoints() { return endpoints; }
    public void setEndpoints(List<String> endpoints) { this.endpoints = endpoints; }
    public JoinTlsSpec getTls() { return tls; }
    public void setTls(JoinTlsSpec tls) { this.tls = tls; }
    public Boolean getRemoveExternalMembers() { return removeExternalMembers; }
    public void setRemoveExternalMembers(Boolean removeExternalMembers) { this.removeExternalMembers = removeExternalMembers; }

    public boolean removesExternalMembers() {
        return !Boolean.FALSE.equals(removeExternalMembers);
    }
}
