package com.storageos.etcd.naming;

/**
 * Members on loopback addresses {@code 127.<a>.<b>.1<ordinal>} with etcd's standard ports, for running
 * members as local processes (the sandbox and the tests). Linux routes all of 127.0.0.0/8 to the
 * loopback interface, so each cluster gets its own addresses without any setup, and the ordinal
 * (0–9) stays a plain text substitution like the DNS form.
 */
public record LoopbackMemberAddressing(int a, int b) implements LoopbackAddressing {

    public LoopbackMemberAddressing {
        if (a < 1 || a > 254 || b < 0 || b > 254) {
            throw new IllegalArgumentException("loopback prefix 127." + a + "." + b + " out of range");
        }
    }

    /** From its prefix, {@code 127.<a>.<b>}. */
    public static LoopbackMemberAddressing parse(String prefix) {
        String[] parts = prefix.split("\\.");
        if (parts.length != 3 || !parts[0].equals("127")) {
            throw new IllegalArgumentException("a loopback prefix looks like 127.<a>.<b>, not " + prefix);
        }
        return new LoopbackMemberAddressing(Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
    }

    @Override
    public String prefix() {
        return "127." + a + "." + b;
    }

    @Override
    public String memberHostTemplate(ClusterNames names) {
        return "127." + a + "." + b + ".1" + ORDINAL;
    }
}
