package com.storageos.etcd.api.v1alpha1.spec;

/** Which peer URL this cluster's members are advertised under while a migration shares the membership with external members. */
public enum PeerAddressing {
    /** The headless Service's stable DNS names, throughout (the external nodes must resolve cluster DNS). */
    ServiceDNS,
    /**
     * {@code http://<podIP>:2380} while external members exist, kept current with member update when a pod gets a new IP;
     * back to the DNS names once the external members are gone.
     */
    PodIP
}
