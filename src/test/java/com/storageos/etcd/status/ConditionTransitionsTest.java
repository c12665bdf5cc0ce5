package com.storageos.etcd.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.status.ConditionReason;
import com.storageos.etcd.status.ConditionTransitions.Notice;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionTransitionsTest {
    final Conditions conditions = new Conditions(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));

    List<Condition> available(boolean ok, String reason) {
        return conditions.upsert(List.of(), Conditions.AVAILABLE, ok, ConditionReason.valueOf(reason), "3 of 3", 1L);
    }

    @Test
    void losingQuorumIsAWarningAndItsReturnIsNormal() {
        assertThat(ConditionTransitions.between(available(true, "QuorumHealthy"), available(false, "QuorumLost")))
                .containsExactly(new Notice(false, "QuorumLost", "3 of 3"));
        assertThat(ConditionTransitions.between(available(false, "QuorumLost"), available(true, "QuorumHealthy")))
                .containsExactly(new Notice(true, "QuorumRestored", "3 of 3"));
    }

    @Test
    void nothingWhenNothingChangedAndNoWarningWhileBootstrapping() {
        assertThat(ConditionTransitions.between(available(true, "QuorumHealthy"), available(true, "QuorumHealthy"))).isEmpty();
        assertThat(ConditionTransitions.between(List.of(), available(false, "Bootstrapping"))).isEmpty();
    }

    @Test
    void aFailingStepIsAWarningOncePerDistinctErrorNotPerRetry() {
        List<Condition> fine = conditions.upsert(List.of(), Conditions.DEGRADED, false, ConditionReason.AsExpected, "every voter is healthy", 1L);
        List<Condition> refused = conditions.upsert(fine, Conditions.DEGRADED, true, ConditionReason.StepFailed, "AddLearner of etcd-3 failed: x", 1L);
        List<Condition> forbidden = conditions.upsert(fine, Conditions.DEGRADED, true, ConditionReason.StepFailed, "RestartPod of etcd-1 failed: 403", 1L);
        assertThat(ConditionTransitions.between(fine, refused)).containsExactly(new Notice(false, "StepFailed", "AddLearner of etcd-3 failed: x"));
        assertThat(ConditionTransitions.between(refused, refused)).as("the same failure retried").isEmpty();
        assertThat(ConditionTransitions.between(refused, forbidden)).containsExactly(new Notice(false, "StepFailed", "RestartPod of etcd-1 failed: 403"));
        assertThat(ConditionTransitions.between(refused, fine)).isEmpty();
    }

    @Test
    void becomingReadyIsAnnouncedOnce() {
        List<Condition> ready = conditions.upsert(List.of(), Conditions.READY, true, ConditionReason.ClusterReady, "3 voters healthy", 1L);
        assertThat(ConditionTransitions.between(List.of(), ready)).containsExactly(new Notice(true, "ClusterReady", "3 voters healthy"));
        assertThat(ConditionTransitions.between(ready, ready)).isEmpty();
    }
}
