package com.storageos.etcd.reconciler.etcdcluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LiveCoverageTest {

    @Test
    void defaultsAndOtherManagersFieldsOnTheLiveObjectAreFine() {
        Map<String, Object> desired = Map.of("spec", Map.of("replicas", 3, "ports", List.of(Map.of("port", 2379))));
        Map<String, Object> live = Map.of("spec", Map.of("replicas", 3L, "revisionHistoryLimit", 10,
                "ports", List.of(Map.of("port", 2379, "protocol", "TCP"))), "metadata", Map.of("labels", Map.of("team", "storage")));
        assertThat(LiveCoverage.covers(live, desired)).isTrue();
    }

    @Test
    void aChangedOrMissingFieldOrADifferentListLengthNeedsAnApply() {
        Map<String, Object> desired = Map.of("spec", Map.of("replicas", 3, "ports", List.of(Map.of("port", 2379))));
        assertThat(LiveCoverage.covers(Map.of("spec", Map.of("replicas", 5, "ports", List.of(Map.of("port", 2379)))), desired)).isFalse();
        assertThat(LiveCoverage.covers(Map.of("spec", Map.of("ports", List.of(Map.of("port", 2379)))), desired)).isFalse();
        assertThat(LiveCoverage.covers(Map.of("spec", Map.of("replicas", 3, "ports", List.of())), desired)).isFalse();
    }

    @Test
    void emptyMapsAndListsCountAsAbsent() {
        assertThat(LiveCoverage.covers(Map.of("spec", Map.of()), Map.of("spec", Map.of("tolerations", List.of(), "labels", Map.of())))).isTrue();
    }
}
