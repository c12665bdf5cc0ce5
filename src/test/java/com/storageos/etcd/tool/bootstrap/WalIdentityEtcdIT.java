package com.storageos.etcd.tool.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.testing.EtcdProcess;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.cluster.MemberListResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The member and cluster IDs read from a real etcd's WAL are the ones etcd itself reports. */
class WalIdentityEtcdIT {
    @Test
    void theWalNamesTheMemberAndClusterEtcdReports() throws Exception {
        try (EtcdProcess etcd = EtcdProcess.reserve("wal-0")) {
            etcd.startNewCluster();
            etcd.awaitHealthy();
            MemberListResponse members;
            try (Client client = Client.builder().endpoints(etcd.clientUrl()).build()) {
                members = client.getClusterClient().listMember().get(10, TimeUnit.SECONDS);
            }
            assertThat(WalIdentity.read(etcd.dataDir()))
                    .contains(new WalIdentity(members.getMembers().get(0).getId(), members.getHeader().getClusterId()));
        }
    }

    @Test
    void withoutAWalSegmentOrWithAForeignOneThereIsNoIdentity(@TempDir Path dataDir) throws Exception {
        assertThat(WalIdentity.read(dataDir)).isEmpty();
        Path wal = Files.createDirectories(dataDir.resolve("member").resolve("wal"));
        assertThat(WalIdentity.read(dataDir)).isEmpty();
        Files.write(wal.resolve("0000000000000000-0000000000000000.wal"), new byte[] {(byte) 0xff, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
        assertThat(WalIdentity.read(dataDir)).isEmpty();
    }
}
