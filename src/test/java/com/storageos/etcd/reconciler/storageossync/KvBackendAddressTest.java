package com.storageos.etcd.reconciler.storageossync;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.spec.StorageOSSpec;
import com.storageos.etcd.api.v1alpha1.status.MemberStatus;
import com.storageos.etcd.api.v1alpha1.status.StorageOSSyncStatus;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.naming.DnsMemberAddressing;
import com.storageos.etcd.naming.MemberAddressing;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KvBackendAddressTest {
    static final ClusterNames NAMES = new ClusterNames("storageos-etcd", "etcd");
    static final MemberAddressing DNS = new DnsMemberAddressing("cluster.local");

    static MemberStatus member(String name, String role, boolean healthy) {
        MemberStatus m = new MemberStatus();
        m.setName(name);
        m.setRole(role);
        m.setHealthy(healthy);
        m.setClientURL(name == null ? null : "https://" + name + ":2379");
        return m;
    }

    static MemberStatus voter(int ordinal) {
        return member(NAMES.member(ordinal), "Voter", true);
    }

    static StorageOSSpec spec(StorageOSSpec.AddressMode mode) {
        StorageOSSpec spec = new StorageOSSpec();
        spec.setName("storageos");
        spec.setAddressMode(mode);
        return spec;
    }

    static String host(int ordinal) {
        return "storageos-etcd-" + ordinal + ".storageos-etcd-peer.etcd.svc.cluster.local:2379";
    }

    @Test
    void serviceModeIsTheClientServiceAddress() {
        String address = KvBackendAddress.compute(spec(StorageOSSpec.AddressMode.Service), List.of(voter(0), voter(1), voter(2)), NAMES, DNS);
        assertThat(address).isEqualTo("storageos-etcd-client.etcd.svc.cluster.local:2379");
    }

    @Test
    void membersModeListsHealthyVotersOnlyAsHostPort() {
        List<MemberStatus> members = List.of(voter(0), member(NAMES.member(1), "Voter", false), voter(2),
                member(NAMES.member(3), "Learner", true), member(null, "Voter", false));
        // Four voters (the unnamed one counts) need three healthy; two is no quorum.
        assertThat(KvBackendAddress.compute(spec(StorageOSSpec.AddressMode.Members), members, NAMES, DNS)).isEmpty();

        List<MemberStatus> healthy = List.of(voter(0), member(NAMES.member(1), "Voter", false), voter(2),
                member(NAMES.member(3), "Learner", true));
        assertThat(KvBackendAddress.compute(spec(StorageOSSpec.AddressMode.Members), healthy, NAMES, DNS))
                .isEqualTo(host(0) + "," + host(2))
                .doesNotContain("://");
    }

    @Test
    void membersAreInOrdinalOrderNotNameOrder() {
        List<MemberStatus> members = new ArrayList<>();
        for (int ordinal : new int[] {10, 9, 2, 0, 1, 3, 4, 5, 6, 7, 8}) {
            members.add(voter(ordinal));
        }
        String address = KvBackendAddress.compute(spec(StorageOSSpec.AddressMode.Members), members, NAMES, DNS);
        assertThat(address.split(",")).hasSize(11).endsWith(host(9), host(10)).startsWith(host(0), host(1), host(2));
        assertThat(KvBackendAddress.voters(members, NAMES)).endsWith("storageos-etcd-9,storageos-etcd-10");
    }

    @Test
    void quorumLostOrNoHealthyVoterGivesNothingToWrite() {
        List<MemberStatus> lost = List.of(voter(0), member(NAMES.member(1), "Voter", false), member(NAMES.member(2), "Voter", false));
        assertThat(KvBackendAddress.compute(spec(StorageOSSpec.AddressMode.Members), lost, NAMES, DNS)).isEmpty();
        assertThat(KvBackendAddress.compute(spec(StorageOSSpec.AddressMode.Service), lost, NAMES, DNS)).isEmpty();
        assertThat(KvBackendAddress.compute(spec(StorageOSSpec.AddressMode.Service), List.of(), NAMES, DNS)).isEmpty();
        List<MemberStatus> learnersOnly = List.of(member(NAMES.member(0), "Learner", true));
        assertThat(KvBackendAddress.compute(spec(StorageOSSpec.AddressMode.Members), learnersOnly, NAMES, DNS)).isEmpty();
    }

    @Test
    void foreignVotersCountForQuorumButGetNoAddress() {
        // Migration from an external etcd: its members are voters with other names.
        List<MemberStatus> members = List.of(member("etcd-10.0.0.1", "Voter", true), member("etcd-10.0.0.2", "Voter", true), voter(0));
        assertThat(KvBackendAddress.compute(spec(StorageOSSpec.AddressMode.Members), members, NAMES, DNS)).isEqualTo(host(0));
    }

    @Test
    void tlsDoesNotChangeTheHostPortForm() {
        List<MemberStatus> plain = List.of(voter(0), voter(1), voter(2));
        List<MemberStatus> tls = plain.stream().map(m -> {
            MemberStatus copy = member(m.getName(), "Voter", true);
            copy.setClientURL("https://" + m.getName() + ":2379");
            return copy;
        }).toList();
        plain.forEach(m -> m.setClientURL("http://" + m.getName() + ":2379"));
        StorageOSSpec members = spec(StorageOSSpec.AddressMode.Members);
        assertThat(KvBackendAddress.compute(members, tls, NAMES, DNS)).isEqualTo(KvBackendAddress.compute(members, plain, NAMES, DNS))
                .isEqualTo(host(0) + "," + host(1) + "," + host(2));
    }

    @Test
    void settleGateWaitsForAnUnchangedVoterSet() {
        Instant t0 = Instant.parse("2025-01-01T00:00:00Z");
        SettleGate atT0 = new SettleGate(Clock.fixed(t0, ZoneOffset.UTC));
        SettleGate.Verdict first = atT0.evaluate("a,b,c", null, Duration.ofSeconds(30));
        assertThat(first.settled()).isFalse();
        assertThat(first.stableSince()).isEqualTo(t0);
        assertThat(first.remaining()).isEqualTo(Duration.ofSeconds(30));

        StorageOSSyncStatus recorded = new StorageOSSyncStatus();
        recorded.setVoters("a,b,c");
        recorded.setVotersStableSince(t0.toString());
        SettleGate at20 = new SettleGate(Clock.fixed(t0.plusSeconds(20), ZoneOffset.UTC));
        assertThat(at20.evaluate("a,b,c", recorded, Duration.ofSeconds(30)).remaining()).isEqualTo(Duration.ofSeconds(10));
        SettleGate at30 = new SettleGate(Clock.fixed(t0.plusSeconds(30), ZoneOffset.UTC));
        assertThat(at30.evaluate("a,b,c", recorded, Duration.ofSeconds(30)).settled()).isTrue();
        // A changed set restarts the clock, however long the old one had been stable.
        SettleGate.Verdict changed = at30.evaluate("a,b,c,d", recorded, Duration.ofSeconds(30));
        assertThat(changed.settled()).isFalse();
        assertThat(changed.stableSince()).isEqualTo(t0.plusSeconds(30));
        assertThat(atT0.evaluate("a", null, Duration.ZERO).settled()).isTrue();
    }
}
