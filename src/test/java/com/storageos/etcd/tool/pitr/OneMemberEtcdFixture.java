package com.storageos.etcd.tool.pitr;

import com.storageos.etcd.etcdclient.EtcdAdmin;
import com.storageos.etcd.etcdclient.JetcdEtcdAdminFactory;
import com.storageos.etcd.testing.EtcdTestCluster;
import io.etcd.jetcd.Client;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** One real etcd member per test, with a client to write through and the admin the follower reads it with. */
abstract class OneMemberEtcdFixture {
    @TempDir
    Path tmp;
    EtcdTestCluster etcd;
    Client client;
    EtcdAdmin admin;

    @BeforeEach
    void startMember() {
        etcd = EtcdTestCluster.start(1);
        client = Client.builder().endpoints(etcd.clientUrls().toArray(String[]::new)).build();
        admin = new JetcdEtcdAdminFactory(Duration.ofSeconds(5)).connect(etcd.clientUrls());
    }

    @AfterEach
    void stopMember() {
        client.close();
        admin.close();
        etcd.close();
    }
}
