package com.storageos.etcd.etcdclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.storageos.etcd.testing.EtcdBinaries;
import com.storageos.etcd.testing.EtcdProcess;
import com.storageos.etcd.testing.EtcdTestCluster;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** {@link JetcdEtcdAdmin} against real etcd processes: members, membership changes, refusals and dead endpoints. */
class JetcdEtcdAdminEtcdIT extends JetcdEtcdAdminFixture {
    @Test
    void singleMemberReportsItselfAsStartedVoterAndLeader() {
        try (EtcdTestCluster cluster = EtcdTestCluster.start(1);
                EtcdAdmin admin = factory.connect(cluster.clientUrls())) {
            EtcdProcess etcd = cluster.member(0);

            EtcdMember self = assertThat(admin.listMembers()).singleElement().actual();
            assertThat(self.started()).isTrue();
            assertThat(self.learner()).isFalse();
            assertThat(self.name()).isEqualTo(etcd.name());
            assertThat(self.peerUrls()).containsExactly(etcd.peerUrl());
            assertThat(self.clientUrls()).containsExactly(etcd.clientUrl());

            EndpointStatus status = admin.status(etcd.clientUrl());
            assertThat(status.memberId()).isEqualTo(self.id());
            assertThat(status.isLeader()).isTrue();
            assertThat(status.version()).isEqualTo(EtcdBinaries.DEFAULT_VERSION);
            assertThat(status.dbSize()).isPositive();
            assertThat(status.dbSizeInUse()).isPositive().isLessThanOrEqualTo(status.dbSize());
            assertThat(status.raftAppliedIndex()).isPositive();
            assertThat(status.learner()).isFalse();
            assertThat(status.errors()).isEmpty();
            assertThat(admin.isHealthy(etcd.clientUrl())).isTrue();
            assertThat(admin.alarms()).isEmpty();
        }
    }

    @Test
    void learnerJoinsIsPromotedThenLeaderMovesAndRemovedMemberExits() {
        try (EtcdTestCluster cluster = EtcdTestCluster.start(1)) {
            EtcdProcess first = cluster.member(0);
            EtcdProcess second = cluster.reserveMember();
            EtcdProcess third = cluster.reserveMember();
            List<String> urls = List.of(first.clientUrl(), second.clientUrl(), third.clientUrl());
            try (EtcdAdmin admin = factory.connect(urls)) {
                long secondId = addAndPromote(admin, cluster, second);
                long thirdId = addAndPromote(admin, cluster, third);
                assertThat(admin.listMembers()).hasSize(3).allMatch(m -> m.started() && !m.learner());

                long leaderId = admin.status(first.clientUrl()).leaderId();
                long target = leaderId == secondId ? thirdId : secondId;
                admin.moveLeader(target);
                assertThat(eventually(Duration.ofSeconds(3), () -> {
                    long now = admin.status(first.clientUrl()).leaderId();
                    assertThat(now).isEqualTo(target);
                    return now;
                })).isNotEqualTo(leaderId);

                long removed = target == secondId ? thirdId : secondId;
                EtcdProcess removedProcess = removed == secondId ? second : third;
                retryWhileUnhealthy(() -> {
                    admin.remove(removed);
                    return null;
                });
                // A follower answers the (serializable) member list once it has applied the removal.
                eventually(Duration.ofSeconds(3), () -> {
                    assertThat(admin.listMembers()).hasSize(2).noneMatch(m -> m.id() == removed);
                    return null;
                });
                assertThat(removedProcess.awaitExit(Duration.ofSeconds(10)))
                        .as("removed member exits by itself").isTrue();
            }
        }
    }

    @Test
    void etcdRefusalsAreClassified() {
        try (EtcdTestCluster cluster = EtcdTestCluster.start(1);
                EtcdAdmin admin = factory.connect(cluster.clientUrls())) {
            long self = admin.listMembers().get(0).id();
            long unknown = 0xdead_beef_0000_0001L;

            assertThat(kindOf(() -> admin.promote(unknown))).isEqualTo(EtcdAdminException.Kind.MEMBER_NOT_FOUND);
            assertThat(kindOf(() -> admin.remove(unknown))).isEqualTo(EtcdAdminException.Kind.MEMBER_NOT_FOUND);
            assertThat(kindOf(() -> admin.addLearner(cluster.member(0).peerUrl())))
                    .isEqualTo(EtcdAdminException.Kind.PEER_URL_EXISTS);
            assertThat(kindOf(() -> admin.promote(self))).isEqualTo(EtcdAdminException.Kind.OTHER);
        }
    }

    @Test
    void deadEndpointFailsWithinDeadlineAndRecoversAfterRestart() {
        try (EtcdTestCluster cluster = EtcdTestCluster.start(1);
                EtcdAdmin admin = factory.connect(cluster.clientUrls())) {
            EtcdProcess etcd = cluster.member(0);
            String url = etcd.clientUrl();
            assertThat(admin.status(url).isLeader()).isTrue();
            etcd.kill();

            List<Runnable> calls = List.of(() -> admin.status(url), admin::listMembers, admin::alarms,
                    () -> admin.promote(1), () -> admin.moveLeader(1), () -> admin.defragment(url));
            for (Runnable call : calls) {
                long started = System.nanoTime();
                assertThat(kindOf(call)).isEqualTo(EtcdAdminException.Kind.UNAVAILABLE);
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(WITHIN_DEADLINE);
            }
            long started = System.nanoTime();
            assertThat(admin.isHealthy(url)).isFalse();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(WITHIN_DEADLINE);

            etcd.restart();
            etcd.awaitHealthy();
            assertThat(eventually(Duration.ofSeconds(15), () -> admin.status(url)).isLeader()).isTrue();
            assertThat(admin.isHealthy(url)).isTrue();
        }
    }

    /** member add --learner, start the process, promote once in sync; returns the new member's ID. */
    private long addAndPromote(EtcdAdmin admin, EtcdTestCluster cluster, EtcdProcess process) {
        // Right after a promotion etcd refuses further reconfiguration for ~5 s (strict reconfig check).
        MemberAddResult added = retryWhileUnhealthy(() -> admin.addLearner(process.peerUrl()));
        assertThat(added.added().learner()).isTrue();
        assertThat(added.added().started()).isFalse();
        assertThat(added.added().peerUrls()).containsExactly(process.peerUrl());
        assertThat(added.members()).contains(added.added());
        long id = added.added().id();
        // Not started yet, so certainly not in sync: etcd must say "not ready", not fail otherwise.
        assertThat(catchThrowableOfType(EtcdAdminException.class, () -> admin.promote(id)).kind())
                .isEqualTo(EtcdAdminException.Kind.LEARNER_NOT_READY);

        long started = System.nanoTime();
        cluster.join(process, added.members());
        EndpointStatus asLearner = eventually(Duration.ofSeconds(10), () -> admin.status(process.clientUrl()));
        assertThat(asLearner.learner()).isTrue();
        assertThat(asLearner.memberId()).isEqualTo(id);

        int attempts = 0;
        while (true) {
            attempts++;
            try {
                admin.promote(id);
                break;
            } catch (EtcdAdminException e) {
                assertThat(e.kind()).as(e.getMessage()).isIn(
                        EtcdAdminException.Kind.LEARNER_NOT_READY, EtcdAdminException.Kind.UNHEALTHY_CLUSTER);
                assertThat(e.isTransient()).isTrue();
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
                sleep(100);
            }
        }
        System.out.printf("learner %s promotable %d ms after process start, %d promote attempt(s)%n",
                Long.toHexString(id), Duration.ofNanos(System.nanoTime() - started).toMillis(), attempts);
        assertThat(admin.listMembers()).filteredOn(m -> m.id() == id).singleElement()
                .matches(m -> !m.learner() && m.started(), "started voter");
        assertThat(eventually(Duration.ofSeconds(5), () -> {
            EndpointStatus s = admin.status(process.clientUrl());
            assertThat(s.learner()).isFalse();
            return s;
        }).memberId()).isEqualTo(id);
        return id;
    }

    private static <T> T retryWhileUnhealthy(Supplier<T> reconfiguration) {
        long started = System.nanoTime();
        long deadline = started + Duration.ofSeconds(10).toNanos();
        while (true) {
            try {
                T result = reconfiguration.get();
                System.out.printf("reconfiguration accepted after %d ms%n",
                        Duration.ofNanos(System.nanoTime() - started).toMillis());
                return result;
            } catch (EtcdAdminException e) {
                if (e.kind() != EtcdAdminException.Kind.UNHEALTHY_CLUSTER || System.nanoTime() > deadline) {
                    throw e;
                }
                sleep(200);
            }
        }
    }
}
