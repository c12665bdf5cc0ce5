package com.storageos.etcd.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One certificate the cluster's TLS uses, and when it stops being valid. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CertificateStatus {
    @JsonPropertyDescription("What it is: ca (the earliest-expiring CA in the members' ca.crt), peer, server (the members' on the client port) or client (what StorageOS, the operator and the tools present).")
    private String name;
    @JsonPropertyDescription("The Secret that holds it.")
    private String secret;
    @JsonPropertyDescription("When it expires (RFC 3339).")
    private String notAfter;
    @JsonPropertyDescription("When the operator renews it; set only for certificates from the operator's own CA.")
    private String renewAfter;

    public CertificateStatus() {
    }

    public CertificateStatus(String name, String secret, String notAfter, String renewAfter) {
        this.name = name;
        this.secret = secret;
        this.notAfter = notAfter;
        this.renewAfter = renewAfter;
    }

    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public String getSecret() { return secret; }
    public void setSecret(String secret) { this.secret = secret; }
    public String getNotAfter() { return notAfter; }
    public void setNotAfter(String notAfter) { this.notAfter = notAfter; }
    public String getRenewAfter() { return renewAfter; }
    public void setRenewAfter(String renewAfter) { this.renewAfter = renewAfter; }
}
