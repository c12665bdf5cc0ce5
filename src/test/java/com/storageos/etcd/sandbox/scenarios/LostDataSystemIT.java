package com.storageos.etcd.sandbox.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.storageos.etcd.api.v1alpha1.status.MemberStatus;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.reconciler.etcdcluster.ContinuousWriter;
import com.storageos.etcd.sandbox.Chaos;
import com.storageos.etcd.sandbox.Sandbox;
import com.storageos.etcd.sandbox.SandboxCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Members that lose their data, on the real control plane, with a writer running throughout; one
 * cluster for every scenario. A joined follower loses only etcd's {@code member/} dir under its running pod, the rest
 * of the volume kept (the kubelet restarts etcd in place, the init container does not run again), then member 0,
 * which in its first pod life was started with a "new" one-member config. Then the same two have their whole volume
 * wiped under their running pods. Then, at 5 members, two followers lose their node (pod
 * and claim) at the same time. Each lost member must come back under a new member ID for its ordinal,
 * with every member a healthy voter, and no acknowledged write may be lost.
 */
class LostDataSystemIT {
    static final String NAME = "storageos-etcd";
    @TempDir
    Path root;
    SandboxCluster fixture;
    Sandbox sandbox;
    ClusterNames names;

    @BeforeEach
    void start() throws Exception {
        fixture = SandboxCluster.start(root, NAME);
        sandbox = fixture.sandbox();
        names = fixture.names();
    }

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void membersThatLoseTheirDataAreReplacedUnderNewIdsWithoutLosingAnAcknowledgedWrite() throws Exception {
        fixture.create(SandboxCluster.yaml(NAME, 3, ""));
        fixture.awaitReady(3, Duration.ofSeconds(90));
        try (ContinuousWriter writer = new ContinuousWriter(fixture.clientUrls())) {
            String follower = names.member(fixture.cluster().getStatus().getLeader().equals(names.member(2)) ? 1 : 2);
            long followerMemberDirRepair = repaired(3, () -> sandbox.node().loseMemberDir(Sandbox.NAMESPACE, follower), follower);
            long memberZeroMemberDirRepair = repaired(3, () -> sandbox.node().loseMemberDir(Sandbox.NAMESPACE, names.member(0)),
                    names.member(0));
            long followerRepair = repaired(3, () -> sandbox.node().wipeVolume(Sandbox.NAMESPACE, follower), follower);
            long memberZeroRepair = repaired(3, () -> sandbox.node().wipeVolume(Sandbox.NAMESPACE, names.member(0)), names.member(0));

            fixture.scale(5);
            fixture.awaitReady(5, Duration.ofSeconds(120));
            List<String> lost = List.of(names.member(3), names.member(4));
            long twoLostRepair = repaired(5, () -> lost.forEach(p -> sandbox.node().losePodAndClaim(Sandbox.NAMESPACE, p)),
                    lost.toArray(String[]::new));

            Thread.sleep(500);
            writer.close();
            fixture.assertEveryAcknowledgedWriteReadable(writer.acknowledged(), 100);
            System.out.printf("lost data system IT: loss to Ready with a new member ID: follower's member/ lost under its pod %d ms,"
                            + " member 0's member/ lost %d ms, follower volume wiped %d ms, member 0 volume wiped %d ms,"
                            + " two of five lose pod and claim at once %d ms; longest write outage %d ms, %d acknowledged writes%n",
                    followerMemberDirRepair, memberZeroMemberDirRepair, followerRepair, memberZeroRepair, twoLostRepair,
                    writer.longestOutageMillis(), writer.acknowledged().size());
        }
    }

    /** Does the loss, then waits until each lost member is a healthy voter again under a new ID; the time from loss to Ready. */
    private long repaired(int members, Loss loss, String... pods) throws Exception {
        Map<String, String> before = memberIds();
        long t0 = System.nanoTime();
        loss.happen();
        await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            Map<String, String> now = memberIds();
            for (String pod : pods) {
                assertThat(now.get(pod)).as("%s under a new member ID; status %s", pod, fixture.cluster().getStatus().getConditions())
                        .isNotNull().isNotEqualTo(before.get(pod));
            }
            assertThat(Chaos.ready(fixture.cluster())).isTrue();
        });
        fixture.awaitReady(members, Duration.ofSeconds(30));
        long millis = SandboxCluster.millisSince(t0);
        Map<String, String> after = memberIds();
        before.forEach((pod, id) -> {
            if (!List.of(pods).contains(pod)) {
                assertThat(after.get(pod)).as("%s was not touched", pod).isEqualTo(id);
            }
        });
        return millis;
    }

    private Map<String, String> memberIds() {
        return fixture.cluster().getStatus().getMembers().stream().filter(m -> m.getName() != null && m.getId() != null)
                .collect(Collectors.toMap(MemberStatus::getName, MemberStatus::getId));
    }

    @FunctionalInterface
    private interface Loss {
        void happen() throws Exception;
    }
}
