package com.storageos.etcd.reconciler.etcdcluster;

import com.storageos.etcd.etcdclient.EtcdAdmin;
import com.storageos.etcd.etcdclient.EtcdAdminException;
import com.storageos.etcd.etcdclient.JetcdEtcdAdminFactory;
import com.storageos.etcd.etcdclient.MemberAddResult;
import com.storageos.etcd.testing.EtcdProcess;
import com.storageos.etcd.testing.EtcdTestCluster;
import java.time.Duration;

/**
 * etcd's own floor for growing 1 to 3 members: the same learner steps done by hand in a tight loop
 * (add, start, promote; retry only what etcd refuses), to print beside the operator's time.
 */
final class EtcdFloor {
    private EtcdFloor() {
    }

    static long oneToThreeMillis() throws InterruptedException {
        try (EtcdTestCluster cluster = EtcdTestCluster.start(1, "--heartbeat-interval=50", "--election-timeout=500");
             EtcdAdmin admin = new JetcdEtcdAdminFactory(Duration.ofSeconds(1)).connect(cluster.clientUrls())) {
            long start = System.nanoTime();
            for (int i = 0; i < 2; i++) {
                EtcdProcess next = cluster.reserveMember();
                MemberAddResult added = retry(() -> admin.addLearner(next.peerUrl()));
                cluster.join(next, added.members(), "--heartbeat-interval=50", "--election-timeout=500");
                retry(() -> {
                    admin.promote(added.added().id());
                    return null;
                });
            }
            return (System.nanoTime() - start) / 1_000_000;
        }
    }

    private interface Call<T> {
        T call();
    }

    private static <T> T retry(Call<T> call) throws InterruptedException {
        while (true) {
            try {
                return call.call();
            } catch (EtcdAdminException e) {
                if (!e.isTransient()) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
    }
}
