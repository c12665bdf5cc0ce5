package com.storageos.etcd.naming;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NamingBuilderTest {
    private static final ClusterNames NAMES = new ClusterNames("etcd", "storageos");

    @Test
    void ordinalOfAcceptsOnlyThisClustersMemberNames() {
        assertThat(NAMES.ordinalOf("etcd-0")).contains(0);
        assertThat(NAMES.ordinalOf("etcd-12")).contains(12);
        assertThat(NAMES.ordinalOf("etcd-peer")).isEmpty();
        assertThat(NAMES.ordinalOf("etcd--1")).isEmpty();
        assertThat(NAMES.ordinalOf("other-0")).isEmpty();
        assertThat(NAMES.ordinalOf(null)).isEmpty();
        assertThat(NAMES.dataClaim(2)).isEqualTo("data-etcd-2");
    }

    @Test
    void dnsAddressingUsesTheHeadlessServiceAndClusterDomain() {
        DnsMemberAddressing dns = new DnsMemberAddressing("example.org");
        assertThat(dns.peerUrl(NAMES, 1, false)).isEqualTo("http://etcd-1.etcd-peer.storageos.svc.example.org:2380");
        assertThat(dns.clientUrl(NAMES, 2, true)).isEqualTo("https://etcd-2.etcd-peer.storageos.svc.example.org:2379");
        assertThat(dns.clientServiceAddress(NAMES)).isEqualTo("etcd-client.storageos.svc.example.org:2379");
    }
}
