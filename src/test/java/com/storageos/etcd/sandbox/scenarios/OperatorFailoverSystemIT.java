package com.storageos.etcd.sandbox.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.storageos.etcd.reconciler.etcdcluster.ContinuousWriter;
import com.storageos.etcd.sandbox.SandboxCluster;
import com.storageos.etcd.testing.kube.OperatorInstall;
import com.storageos.etcd.testing.kube.OperatorProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart's two operator replicas on the real control plane: the leader is killed with -9 while a
 * membership change is in flight, and the standby, after the Lease runs out, finishes it from the
 * journal in the status, with a writer running throughout.
 */
class OperatorFailoverSystemIT {
    static final String NAME = "failover";
    @TempDir
    Path root;

    @Test
    void theStandbyFinishesAMembershipChangeTheKilledLeaderStarted() throws Exception {
        try (SandboxCluster c = SandboxCluster.start(root, NAME);
                OperatorProcess standby = c.sandbox().startReplica("etcd-operator-standby")) {
            standby.awaitReady(Duration.ofSeconds(120));
            c.create(SandboxCluster.yaml(NAME, 1, ""));
            c.awaitReady(1, Duration.ofSeconds(90));
            try (ContinuousWriter writer = new ContinuousWriter(c.clientUrls())) {
                String leaderName = holder(c).orElseThrow();
                OperatorProcess leader = leaderName.equals(standby.name()) ? standby : c.sandbox().operator();
                OperatorProcess survivor = leader == standby ? c.sandbox().operator() : standby;
                assertThat(leader.name()).isEqualTo(leaderName);

                c.scale(3);
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                        .until(() -> c.cluster().getStatus().getPendingChange() != null);
                String phase = c.cluster().getStatus().getPendingChange().getPhase();
                long killed = System.nanoTime();
                leader.kill();
                await().atMost(Duration.ofSeconds(40)).until(() -> holder(c).filter(survivor.name()::equals).isPresent());
                long takeover = SandboxCluster.millisSince(killed);
                c.awaitReady(3, Duration.ofSeconds(150));
                long finished = SandboxCluster.millisSince(killed);

                Thread.sleep(500);
                writer.close();
                c.assertEveryAcknowledgedWriteReadable(writer.acknowledged(), 50);
                System.out.printf("operator failover: leader %s killed at journal phase %s; %s took the Lease after %d ms and "
                                + "finished 1->3 %d ms after the kill; longest write outage %d ms, %d acknowledged writes%n",
                        leader.name(), phase, survivor.name(), takeover, finished, writer.longestOutageMillis(), writer.acknowledged().size());
                assertThat(survivor.isAlive()).isTrue();
            }
        }
    }

    private static Optional<String> holder(SandboxCluster c) {
        return OperatorInstall.leaseHolder(c.sandbox().client());
    }
}
