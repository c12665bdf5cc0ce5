package com.storageos.etcd.api.storageos;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** spec.kvBackend: a comma-separated list of host:port (no scheme), or one Service address; backend "etcd". */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class KvBackendSpec {
    public static final String ETCD = "etcd";

    private String address;
    private String backend;

    public String getAddress() { return address; }
    public void setAddress(String address) { this.address = address; }
    public String getBackend() { return backend; }
    public void setBackend(String backend) { this.backend = backend; }
}
