package com.storageos.etcd.reconciler.etcdcluster.members;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.testing.EtcdProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A member list is asked only where some member's client port may answer: a real etcd, or a port that does not refuse. */
class ListeningMembersEtcdIT {
    @Test
    void portsThatRefuseAndNamesThatDoNotResolveAreNotListening() throws IOException {
        String closed = "http://127.0.0.1:" + closedPort();
        assertThat(ListeningMembers.mayAnswer(closed)).isFalse();
        assertThat(ListeningMembers.mayAnswer("https://storageos-etcd-0.storageos-etcd.nosuch.invalid:2379")).isFalse();
        assertThat(ListeningMembers.any(List.of(closed, "http://nosuch.invalid:2379"))).isFalse();
    }

    @Test
    void oneRealMemberAmongAbsentOnesIsEnough() throws IOException {
        try (EtcdProcess member = EtcdProcess.reserve("listening")) {
            member.startNewCluster();
            assertThat(ListeningMembers.any(List.of("http://127.0.0.1:" + closedPort(), member.clientUrl()))).isTrue();
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
