package com.storageos.etcd.sandbox;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.status.MemberStatus;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The {@code --chaos} script: once the cluster is Ready, kill -9 the leader's process; once Ready
 * again, lose a follower's volume. Each time the operator has to heal the cluster by itself.
 */
final class Chaos {
    private final Sandbox sandbox;
    private final String cluster;
    private final Consumer<String> say;

    Chaos(Sandbox sandbox, String cluster, Consumer<String> say) {
        this.sandbox = sandbox;
        this.cluster = cluster;
        this.say = say;
    }

    void run() throws InterruptedException, IOException {
        EtcdCluster ready = await(Chaos::ready, Duration.ofMinutes(5));
        Thread.sleep(3000);
        String leader = ready.getStatus().getLeader();
        say.accept("chaos: kill -9 the leader " + leader);
        sandbox.kubelet().kill(Sandbox.NAMESPACE, leader);
        Thread.sleep(3000);
        EtcdCluster healed = await(Chaos::ready, Duration.ofMinutes(5));
        say.accept("chaos: healed; leader is now " + healed.getStatus().getLeader());
        Thread.sleep(3000);
        String follower = healed.getStatus().getMembers().stream().filter(m -> !Boolean.TRUE.equals(m.getLeader()))
                .map(MemberStatus::getName).reduce((a, b) -> b).orElseThrow();
        say.accept("chaos: " + follower + " loses its volume (process killed, data dir wiped, pod deleted)");
        sandbox.kubelet().loseVolume(Sandbox.NAMESPACE, follower);
        Thread.sleep(3000);
        await(Chaos::ready, Duration.ofMinutes(5));
        say.accept("chaos: healed; " + follower + " is a new member on a new volume");
    }

    static boolean ready(EtcdCluster c) {
        return c.getStatus() != null && c.getStatus().getPendingChange() == null && c.getStatus().getConditions().stream()
                .anyMatch(x -> "Ready".equals(x.getType()) && "True".equals(x.getStatus()));
    }

    private EtcdCluster await(Predicate<EtcdCluster> condition, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            EtcdCluster c = sandbox.cluster(cluster).orElse(null);
            if (c != null && condition.test(c)) {
                return c;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(cluster + " did not get there within " + timeout);
    }
}
