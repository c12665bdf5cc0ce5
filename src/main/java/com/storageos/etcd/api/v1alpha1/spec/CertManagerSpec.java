package com.storageos.etcd.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** cert-manager issues the certificates the operator would otherwise generate: it asks through Certificate objects. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CertManagerSpec {
    @JsonPropertyDescription("Name of the Issuer (in the cluster's namespace) or ClusterIssuer.")
    @Required
    @Size(max = 253)
    private String issuerName;

    @JsonPropertyDescription("Issuer or ClusterIssuer.")
    @Default("Issuer")
    @Pattern("^(Issuer|ClusterIssuer)$")
    private String issuerKind = "Issuer";

    @JsonPropertyDescription("API group of the issuer; cert-manager.io unless an external issuer is used.")
    @Default("cert-manager.io")
    @Size(max = 253)
    private String issuerGroup = "cert-manager.io";

    public String getIssuerName() { return issuerName; }
    public void setIssuerName(String issuerName) { this.issuerName = issuerName; }
    public String getIssuerKind() { return issuerKind; }
    public void setIssuerKind(String issuerKind) { this.issuerKind = issuerKind; }
    public String getIssuerGroup() { return issuerGroup; }
    public void setIssuerGroup(String issuerGroup) { this.issuerGroup = issuerGroup; }
}
