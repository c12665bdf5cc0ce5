package com.storageos.etcd.sandbox;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.status.MemberStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The {@code --chaos} script, one fault at a time, each once the cluster is Ready again: kill -9 the
 * leader's container (restarted in place), wipe a follower's volume under its running pod, lose a
 * follower's node (pod and claim), kill -9 the operator. The operator has to heal each by itself.
 */
public final class Chaos {
    private static final Duration HEAL = Duration.ofMinutes(5);
    private final Sandbox sandbox;
    private final String cluster;
    private final Consumer<String> say;

    Chaos(Sandbox sandbox, String cluster, Consumer<String> say) {
        this.sandbox = sandbox;
        this.cluster = cluster;
        this.say = say;
    }

    void run() throws Exception {
        EtcdCluster ready = await(Chaos::ready);
        String leader = ready.getStatus().getLeader();
        say.accept("chaos: kill -9 the leader's container " + leader + " (the kubelet restarts it in place)");
        sandbox.node().killContainer(Sandbox.NAMESPACE, leader);
        Thread.sleep(3000);
        String follower = follower(await(Chaos::ready));
        // The config was in the data dir: etcd crash-loops in place until the operator replaces the pod, then the member.
        say.accept("chaos: " + follower + "'s volume is wiped under its running pod (container killed, restarted in place on an empty dir)");
        sandbox.node().wipeVolume(Sandbox.NAMESPACE, follower);
        Thread.sleep(3000);
        String other = follower(await(Chaos::ready));
        say.accept("chaos: " + other + "'s node is lost (its pod and its claim are deleted)");
        sandbox.node().losePodAndClaim(Sandbox.NAMESPACE, other);
        Thread.sleep(3000);
        await(Chaos::ready);
        say.accept("chaos: kill -9 the operator; a new replica takes over once the old one's Lease expires");
        sandbox.killOperator();
        await(Chaos::ready);
        say.accept("chaos: done; every fault healed");
    }

    public static boolean ready(EtcdCluster c) {
        return c.getStatus() != null && c.getStatus().getPendingChange() == null && c.getStatus().getConditions().stream()
                .anyMatch(x -> "Ready".equals(x.getType()) && "True".equals(x.getStatus()));
    }

    private static String follower(EtcdCluster c) {
        List<MemberStatus> members = c.getStatus().getMembers();
        return members.stream().filter(m -> !Boolean.TRUE.equals(m.getLeader())).map(MemberStatus::getName).reduce((a, b) -> b).orElseThrow();
    }

    private EtcdCluster await(Predicate<EtcdCluster> condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(HEAL);
        while (Instant.now().isBefore(deadline)) {
            EtcdCluster c = sandbox.cluster(cluster).orElse(null);
            if (c != null && condition.test(c)) {
                return c;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(cluster + " did not heal within " + HEAL);
    }
}
