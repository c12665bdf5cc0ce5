package com.storageos.etcd.naming;

import java.util.Optional;

/** Every Kubernetes object name derived from one EtcdCluster. */
public record ClusterNames(String cluster, String namespace) {
    public static final String DATA_VOLUME = "data";

    public String statefulSet() { return cluster; }
    public String peerService() { return cluster + "-peer"; }
    public String clientService() { return cluster + "-client"; }
    public String disruptionBudget() { return cluster; }
    public String memberServiceAccount() { return cluster + "-member"; }
    public String backupCronJob() { return cluster + "-backup"; }
    public String backupAgent() { return cluster + "-backup-agent"; }

    /** etcd's initial-cluster-token of the members' config template; a cluster formed gets one of its own ({@link #clusterToken(String)}). */
    public String clusterToken() { return namespace + "/" + cluster; }

    /** The initial-cluster-token of one incarnation (an EtcdCluster's UID, a restore): etcd derives the cluster ID from it. */
    public String clusterToken(String incarnation) { return clusterToken() + "/" + incarnation; }
    public String defragCronJob() { return cluster + "-defrag"; }
    public String toolServiceAccount() { return cluster + "-tool"; }
    /** Generated TLS: the cluster's CA (certificate and key), and the certificates it signs. */
    public String tlsCaSecret() { return cluster + "-tls-ca"; }
    public String tlsPeerSecret() { return cluster + "-tls-peer"; }
    public String tlsServerSecret() { return cluster + "-tls-server"; }
    public String tlsClientSecret() { return cluster + "-tls-client"; }

    /** Pods and etcd members share the name {@code <cluster>-<ordinal>}. */
    public String member(int ordinal) { return member(cluster, ordinal); }

    /** A member's name needs only the cluster's name, for the pure layers that know no namespace. */
    public static String member(String cluster, int ordinal) { return cluster + "-" + ordinal; }

    public String dataClaim(int ordinal) { return DATA_VOLUME + "-" + member(ordinal); }

    /** The ordinal of a pod or member name of this cluster, if it is one. */
    public Optional<Integer> ordinalOf(String memberName) {
        String prefix = cluster + "-";
        if (memberName == null || !memberName.startsWith(prefix)) {
            return Optional.empty();
        }
        try {
            int ordinal = Integer.parseInt(memberName.substring(prefix.length()));
            return ordinal >= 0 ? Optional.of(ordinal) : Optional.empty();
        } catch (NumberFormatException notOurs) {
            return Optional.empty();
        }
    }
}
