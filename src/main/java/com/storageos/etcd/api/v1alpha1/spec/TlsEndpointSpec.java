package com.storageos.etcd.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class TlsEndpointSpec {
    @JsonPropertyDescription("Secret (kubernetes.io/tls plus ca.crt) holding the server certificate, key and CA. The certificate must cover the member DNS names. When empty, the operator generates a CA and certificates and keeps them rotated.")
    @Size(max = 253)
    private String secretName;

    public String getSecretName() { return secretName; }
    public void setSecretName(String secretName) { this.secretName = secretName; }
}
