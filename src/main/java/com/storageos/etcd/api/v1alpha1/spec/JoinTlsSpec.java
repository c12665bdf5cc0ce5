package com.storageos.etcd.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** How the operator reaches an external cluster that serves its clients over mutual TLS. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class JoinTlsSpec {
    @JsonPropertyDescription("Secret in this namespace with tls.crt and tls.key, a client certificate the external cluster accepts"
            + " (extended key usage client authentication), and ca.crt, the CA that signed the external members' server certificates"
            + " (a bundle; it must include the CA of tls.crt). Checked before every use: missing, mismatched or expired, the migration"
            + " stops with Degraded reason MigrationTlsNotUsable and nothing is touched. Used for every call to the external members;"
            + " peer TLS between the members is spec.tls.peer's (see docs/migration.md).")
    @Required
    @Size(min = 1, max = 253)
    private String secretName;

    public String getSecretName() { return secretName; }
    public void setSecretName(String secretName) { this.secretName = secretName; }
}
