package com.storageos.etcd.naming;

/**
 * Members on {@code 127.<a>.<octet>.1<ordinal>}, where the third octet comes from the cluster's
 * namespace and name: many clusters on one machine, each on its own addresses with etcd's standard
 * ports. Two clusters whose names hash to the same octet would share addresses, so whoever creates
 * them (the scale benchmark) picks names with distinct {@link #octet}s.
 */
public record PerClusterLoopbackAddressing(int a) implements LoopbackAddressing {

    public PerClusterLoopbackAddressing {
        if (a < 1 || a > 254) {
            throw new IllegalArgumentException("loopback prefix 127." + a + " out of range");
        }
    }

    /** 0–254, stable for the cluster's namespace and name. */
    public static int octet(ClusterNames names) {
        return Math.floorMod((names.namespace() + "/" + names.cluster()).hashCode(), 255);
    }

    @Override
    public String prefix() {
        return "127." + a;
    }

    @Override
    public String memberHostTemplate(ClusterNames names) {
        return "127." + a + "." + octet(names) + ".1" + ORDINAL;
    }
}
