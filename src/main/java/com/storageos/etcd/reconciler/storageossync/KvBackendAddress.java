package com.storageos.etcd.reconciler.storageossync;

import com.storageos.etcd.api.v1alpha1.spec.StorageOSSpec;
import com.storageos.etcd.api.v1alpha1.status.MemberStatus;
import com.storageos.etcd.membership.QuorumMath;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.naming.MemberAddressing;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * PURE: the value for StorageOSCluster.spec.kvBackend.address. StorageOS wants host:port without a
 * scheme whether or not TLS is on (TLS comes from the separate etcd client Secret).
 * Empty means "write nothing": no healthy voter, or too few healthy voters for quorum.
 */
public final class KvBackendAddress {
    public static final String VOTER = "Voter";

    private KvBackendAddress() {
    }

    public static String compute(StorageOSSpec spec, List<MemberStatus> members, ClusterNames names, MemberAddressing addressing) {
        List<Integer> ordinals = healthyVoterOrdinals(members, names);
        if (ordinals.isEmpty() || !quorumHolds(members)) {
            return "";
        }
        if (spec.getAddressMode() == StorageOSSpec.AddressMode.Members) {
            return ordinals.stream().map(o -> addressing.memberHost(names, o) + ":" + MemberAddressing.CLIENT_PORT)
                    .collect(Collectors.joining(","));
        }
        return addressing.clientServiceAddress(names);
    }

    /** The healthy voters of this cluster by name, in ordinal order: what the settle period watches. */
    public static String voters(List<MemberStatus> members, ClusterNames names) {
        return healthyVoterOrdinals(members, names).stream().map(names::member).collect(Collectors.joining(","));
    }

    /**
     * Healthy voters with one of our member names. Voters without a name (added, not started) or
     * with a foreign name (an external cluster being migrated) count for quorum but get no address.
     */
    static List<Integer> healthyVoterOrdinals(List<MemberStatus> members, ClusterNames names) {
        return safe(members).stream().filter(KvBackendAddress::healthyVoter)
                .map(m -> names.ordinalOf(m.getName())).flatMap(Optional::stream)
                .distinct().sorted().toList();
    }

    static boolean quorumHolds(List<MemberStatus> members) {
        long voters = safe(members).stream().filter(m -> VOTER.equals(m.getRole())).count();
        long healthy = safe(members).stream().filter(KvBackendAddress::healthyVoter).count();
        return voters > 0 && healthy >= QuorumMath.quorum((int) voters);
    }

    private static boolean healthyVoter(MemberStatus m) {
        return VOTER.equals(m.getRole()) && Boolean.TRUE.equals(m.getHealthy());
    }

    private static List<MemberStatus> safe(List<MemberStatus> members) {
        return members == null ? List.of() : members.stream().filter(Objects::nonNull).toList();
    }
}
