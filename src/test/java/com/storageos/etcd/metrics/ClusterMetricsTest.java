package com.storageos.etcd.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.status.MemberStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ClusterMetricsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ClusterMetrics metrics = new ClusterMetrics(registry, "etcd_cluster");

    @Test
    void eachConditionIsOneSeriesWithItsStatusAndReason() {
        EtcdCluster c = cluster(5, condition("Ready", "False", "Reconciling"), condition("Degraded", "True", "MemberUnhealthy"));
        metrics.update(c);
        assertThat(conditions()).containsExactlyInAnyOrder("Ready=False Reconciling", "Degraded=True MemberUnhealthy");

        c.getStatus().setConditions(List.of(condition("Ready", "True", "ClusterReady"), condition("Degraded", "False", "AsExpected")));
        metrics.update(c);
        assertThat(conditions()).as("a changed status or reason replaces its series: Alertmanager sees it resolve")
                .containsExactlyInAnyOrder("Ready=True ClusterReady", "Degraded=False AsExpected");
    }

    @Test
    void countsVotersLearnersAndTheDesiredVoters() {
        EtcdCluster c = cluster(5);
        c.getStatus().setMembers(List.of(member("Voter"), member("Voter"), member("Voter"), member("Learner")));
        metrics.update(c);

        assertThat(value(ClusterMetrics.VOTERS)).isEqualTo(3);
        assertThat(value(ClusterMetrics.LEARNERS)).isEqualTo(1);
        assertThat(value(ClusterMetrics.DESIRED_VOTERS)).isEqualTo(5);
    }

    @Test
    void aDeletedClusterExportsNone() {
        metrics.update(cluster(3, condition("Ready", "True", "ClusterReady")));
        EtcdCluster other = cluster(1, condition("Ready", "True", "ClusterReady"));
        other.getMetadata().setName("other");
        metrics.update(other);

        metrics.forget("ns", "kv");
        assertThat(registry.getMeters()).isNotEmpty().allSatisfy(m -> assertThat(m.getId().getTag("etcd_cluster")).isEqualTo("other"));
    }

    private List<String> conditions() {
        return registry.find(ClusterMetrics.CONDITION).tags("namespace", "ns", "etcd_cluster", "kv").gauges().stream()
                .peek(g -> assertThat(g.value()).isEqualTo(1.0))
                .map(Gauge::getId).map(id -> id.getTag("type") + "=" + id.getTag("status") + " " + id.getTag("reason"))
                .collect(Collectors.toList());
    }

    private double value(String name) {
        return registry.get(name).tag("namespace", "ns").tag("etcd_cluster", "kv").gauge().value();
    }

    private static EtcdCluster cluster(int replicas, Condition... conditions) {
        EtcdCluster c = new EtcdCluster();
        c.setMetadata(new ObjectMetaBuilder().withName("kv").withNamespace("ns").build());
        c.getSpec().setReplicas(replicas);
        c.getStatus().setConditions(List.of(conditions));
        return c;
    }

    private static Condition condition(String type, String status, String reason) {
        return new ConditionBuilder().withType(type).withStatus(status).withReason(reason).build();
    }

    private static MemberStatus member(String role) {
        MemberStatus m = new MemberStatus();
        m.setRole(role);
        return m;
    }
}
