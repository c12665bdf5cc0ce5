package com.storageos.etcd.naming;

import java.util.List;

/**
 * Where members listen and how others reach them. In Kubernetes every member has a stable DNS
 * name from the headless peer Service; the sandbox maps members to loopback addresses instead.
 * URLs may contain {@link #ORDINAL}, which the member bootstrap tool replaces inside the pod.
 */
public interface MemberAddressing {
    String ORDINAL = "{ordinal}";
    int CLIENT_PORT = 2379;
    int PEER_PORT = 2380;

    /** The host (no scheme, no port) that a member with this ordinal is reached at. */
    String memberHostTemplate(ClusterNames names);

    /** The address a member listens on: all interfaces in a pod, its own address in the sandbox. */
    String listenHostTemplate(ClusterNames names);

    /** host:port of the client Service, for clients that should not track membership. */
    String clientServiceAddress(ClusterNames names);

    default String clientServiceUrl(ClusterNames names, boolean tls) {
        return (tls ? "https://" : "http://") + clientServiceAddress(names);
    }

    /**
     * The names a generated member certificate covers, so that it stays valid for every ordinal a scale-up
     * can add: a wildcard of the peer Service, or every loopback address. localhost serves calls from inside the pod.
     */
    List<String> certificateHosts(ClusterNames names);

    default String memberHost(ClusterNames names, int ordinal) {
        return memberHostTemplate(names).replace(ORDINAL, Integer.toString(ordinal));
    }

    default String peerUrl(ClusterNames names, int ordinal, boolean tls) {
        return url(tls, memberHost(names, ordinal), PEER_PORT);
    }

    default String clientUrl(ClusterNames names, int ordinal, boolean tls) {
        return url(tls, memberHost(names, ordinal), CLIENT_PORT);
    }

    static String url(boolean tls, String host, int port) {
        return (tls ? "https://" : "http://") + host + ":" + port;
    }
}
