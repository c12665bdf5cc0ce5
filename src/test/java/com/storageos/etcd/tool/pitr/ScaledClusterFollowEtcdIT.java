package com.storageos.etcd.tool.pitr;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.etcdclient.EtcdAdmin;
import com.storageos.etcd.etcdclient.EtcdAdminException;
import com.storageos.etcd.etcdclient.JetcdEtcdAdminFactory;
import com.storageos.etcd.etcdclient.MemberAddResult;
import com.storageos.etcd.testing.EtcdProcess;
import com.storageos.etcd.testing.EtcdTestCluster;
import com.storageos.etcd.tool.backup.DirectoryBackupStore;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backup agent's pod names no member, only the client Service: it follows a cluster that grew after it started
 * through the members etcd lists. Here it is given member 0's URL alone (as the sandbox's client Service is), the cluster
 * grows from one member to three, and member 0 stops: the agent records the writes made through the new members.
 */
class ScaledClusterFollowEtcdIT {
    @TempDir
    Path tmp;
    final List<String> log = new CopyOnWriteArrayList<>();

    @Test
    void anAgentGivenOneAddressFollowsTheMembersAddedAfterItStartedOnceThatAddressStops() throws Exception {
        try (EtcdTestCluster etcd = EtcdTestCluster.start(1);
             EtcdAdmin admin = new JetcdEtcdAdminFactory(Duration.ofSeconds(5)).connect(List.of(etcd.member(0).clientUrl()))) {
            ChangeFollower follower = new ChangeFollower(new DirectoryBackupStore(tmp.resolve("backups"), "c"), "c", admin,
                    List.of(etcd.member(0).clientUrl()), null, Clock.systemUTC(), Duration.ofSeconds(1), log::add);
            follower.expectCluster(admin.clusterId());
            Thread thread = FollowerThread.start(follower, log::add);
            await(Duration.ofSeconds(20), () -> follower.recoveryPoint().isPresent());

            grow(etcd, admin);
            grow(etcd, admin);
            long written;
            try (Client client = Client.builder().endpoints(etcd.member(1).clientUrl(), etcd.member(2).clientUrl()).build()) {
                // A writer runs: the agent lists the members every 10 s through the member it follows.
                for (int i = 0; i < FollowedMembers.EVERY.plusSeconds(3).toSeconds(); i++) {
                    client.getKVClient().put(bytes("before-stop-" + i), bytes("v")).get();
                    Thread.sleep(1000);
                }
                etcd.member(0).stop();
                written = client.getKVClient().put(bytes("after-stop"), bytes("v")).get().getHeader().getRevision();
            }
            boolean followed = await(Duration.ofSeconds(40), () -> follower.recoveryPoint().get().revision() >= written);
            follower.stop();
            thread.join();
            assertThat(followed).as("recovery point reaches revision %d, written after member 0 stopped; the agent's log: %s", written, log)
                    .isTrue();
        }
    }

    /** One more member, added as a learner, started and promoted, as the operator scales up. */
    private static void grow(EtcdTestCluster etcd, EtcdAdmin admin) throws InterruptedException {
        EtcdProcess member = etcd.reserveMember();
        MemberAddResult added = retry(() -> admin.addLearner(member.peerUrl()));
        etcd.join(member, added.members());
        retry(() -> {
            admin.promote(added.added().id());
            return true;
        });
    }

    /** etcd refuses a reconfiguration for a few seconds after the last one, and a promotion until the learner caught up. */
    private static <T> T retry(Supplier<T> call) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                return call.get();
            } catch (EtcdAdminException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
    }

    private static boolean await(Duration timeout, Supplier<Boolean> done) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.get()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(200);
        }
        return true;
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }
}
