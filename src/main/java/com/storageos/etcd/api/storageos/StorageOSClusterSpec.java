package com.storageos.etcd.api.storageos;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** The few StorageOSCluster spec fields we read; all others are ignored here and kept on the server. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class StorageOSClusterSpec {
    private KvBackendSpec kvBackend;
    private String tlsEtcdSecretRefName;
    private String tlsEtcdSecretRefNamespace;

    public KvBackendSpec getKvBackend() { return kvBackend; }
    public void setKvBackend(KvBackendSpec kvBackend) { this.kvBackend = kvBackend; }
    public String getTlsEtcdSecretRefName() { return tlsEtcdSecretRefName; }
    public void setTlsEtcdSecretRefName(String tlsEtcdSecretRefName) { this.tlsEtcdSecretRefName = tlsEtcdSecretRefName; }
    public String getTlsEtcdSecretRefNamespace() { return tlsEtcdSecretRefNamespace; }
    public void setTlsEtcdSecretRefNamespace(String tlsEtcdSecretRefNamespace) { this.tlsEtcdSecretRefNamespace = tlsEtcdSecretRefNamespace; }

    /** The address StorageOS is configured with, or null when none is set. */
    public String address() {
        return kvBackend == null ? null : kvBackend.getAddress();
    }
}
