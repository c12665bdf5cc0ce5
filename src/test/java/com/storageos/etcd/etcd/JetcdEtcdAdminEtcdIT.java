package com.storageos.etcd.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.storageos.etcd.testing.EtcdProcess;
import com.storageos.etcd.testing.EtcdTestCluster;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** {@link JetcdEtcdAdmin} against real etcd processes (/usr/bin/etcd). */
class JetcdEtcdAdminEtcdIT {

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(2);
    private final EtcdAdminFactory factory = new JetcdEtcdAdminFactory(CALL_TIMEOUT);

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
            assertThat(status.version()).isEqualTo("3.4.23");
            assertThat(status.dbSize()).isPositive();
            assertThat(status.dbSizeInUse()).isPositive().isLessThanOrEqualTo(status.dbSize());
            assertThat(status.raftAppliedIndex()).isPositive();
            assertThat(status.learner()).isFalse();
            assertThat(status.errors()).isEmpty();
            assertThat(admin.isHealthy(etcd.clientUrl())).isTrue();
            assertThat(admin.alarms()).isEmpty();
        }
    }

    static <T> T eventually(Duration timeout, Supplier<T> attempt) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                return attempt.get();
            } catch (RuntimeException | AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
            sleep(100);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
