package com.storageos.etcd.reconciler.etcdcluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.status.CaRotationStatus;
import com.storageos.etcd.api.v1alpha1.status.TlsStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReconcilePaceTest {

    @Test
    void failuresDoubleFromOneSecondToTheCapAndASuccessStartsAgain() {
        ReconcilePace backoff = new ReconcilePace();
        assertThat(backoff.failed("a")).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.failed("a")).isEqualTo(Duration.ofSeconds(2));
        for (int i = 0; i < 10; i++) {
            backoff.failed("a");
        }
        assertThat(backoff.failed("a")).isEqualTo(Duration.ofSeconds(32));
        backoff.succeeded("a");
        assertThat(backoff.failed("a")).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void stepsThatAskToGoOnAtOnceCannotSpin() {
        ReconcilePace backoff = new ReconcilePace();
        for (int i = 0; i < ReconcilePace.MAX_IMMEDIATE; i++) {
            assertThat(backoff.immediate("a")).as("immediate step %d", i + 1).isEqualTo(ReconcilePace.IMMEDIATE);
        }
        assertThat(backoff.immediate("a")).as("one too many in a row").isEqualTo(ReconcilePace.FIRST);
        assertThat(backoff.immediate("b")).as("another cluster").isEqualTo(ReconcilePace.IMMEDIATE);
        backoff.paced("a");
        assertThat(backoff.immediate("a")).as("after a step with its own pace").isEqualTo(ReconcilePace.IMMEDIATE);
    }

    @Test
    void afterAReconcileTheStepsPaceHoldsUnlessTheSpecMovedARotationIsUnderWayOrEtcdIsMovingOnItsOwn() {
        ReconcilePace pace = new ReconcilePace();
        EtcdCluster read = cluster(1L);
        Duration resync = StepExecutor.RESYNC;
        assertThat(pace.next(read, read, null, resync, false, null, false)).as("converged").isEqualTo(resync);
        assertThat(pace.next(read, cluster(2L), null, resync, false, null, false)).as("the spec moved meanwhile")
                .isEqualTo(ReconcilePace.IMMEDIATE);
        assertThat(pace.next(read, read, "refused", resync, false, null, false)).as("a failure backs off").isEqualTo(ReconcilePace.FIRST);
        assertThat(pace.next(read, read, null, resync, true, null, false)).as("a CA rotation phase recorded").isEqualTo(StepExecutor.FAST);
        TlsStatus rotating = new TlsStatus();
        rotating.setCaRotation(new CaRotationStatus("Bundling", "Request", "1", "2026-01-01T00:00:00Z", null, null));
        assertThat(pace.next(read, read, null, resync, false, rotating, false)).as("a CA rotation under way")
                .isEqualTo(ReconcilePace.TLS_RECHECK);
        assertThat(pace.next(read, read, null, resync, false, null, true)).as("an alarm raised, or the cluster version behind")
                .isEqualTo(ReconcilePace.ETCD_RECHECK);
    }

    private static EtcdCluster cluster(long generation) {
        EtcdCluster cluster = new EtcdCluster();
        cluster.setMetadata(new ObjectMetaBuilder().withName("etcd").withNamespace("ns").withUid("uid").withGeneration(generation).build());
        return cluster;
    }
}
