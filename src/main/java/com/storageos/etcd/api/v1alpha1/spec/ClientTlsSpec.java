package com.storageos.etcd.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** The client listener: the members' server certificate, plus the client certificate StorageOS, the operator and the tools present. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.secretName) == has(self.clientSecretName)",
        message = "spec.tls.client: give secretName and clientSecretName together (your own certificates), or neither (generated)")
public class ClientTlsSpec extends TlsEndpointSpec {
    @JsonPropertyDescription("Secret (kubernetes.io/tls plus ca.crt) with the client certificate that StorageOS, the operator and its tools present; it must be signed by the CA in secretName's ca.crt and allow client authentication. Empty: generated with the rest.")
    @Size(max = 253)
    private String clientSecretName;

    public String getClientSecretName() { return clientSecretName; }
    public void setClientSecretName(String clientSecretName) { this.clientSecretName = clientSecretName; }
}
