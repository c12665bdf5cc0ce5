package com.storageos.etcd.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * TLS of the two etcd listeners. Each side is off unless set; a side that is set is mutual TLS. Without Secret
 * names the operator generates a CA per cluster and the certificates, and renews them before they expire.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TlsSpec {
    @JsonPropertyDescription("TLS between members (port 2380).")
    private TlsEndpointSpec peer;
    @JsonPropertyDescription("TLS for clients, StorageOS among them (port 2379). Clients must present a certificate signed by the same CA.")
    private ClientTlsSpec client;
    @JsonPropertyDescription("Have cert-manager issue the certificates of every side without a Secret name, instead of the operator's own CA. The operator creates the Certificate objects and waits for their Secrets.")
    private CertManagerSpec certManager;

    public TlsEndpointSpec getPeer() { return peer; }
    public void setPeer(TlsEndpointSpec peer) { this.peer = peer; }
    public ClientTlsSpec getClient() { return client; }
    public void setClient(ClientTlsSpec client) { this.client = client; }
    public CertManagerSpec getCertManager() { return certManager; }
    public void setCertManager(CertManagerSpec certManager) { this.certManager = certManager; }
}
