package com.storageos.etcd.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterGaugesTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ClusterGauges gauges = new ClusterGauges(registry, "etcd_cluster", Clock.systemUTC());

    @Test
    void aReconcileThatEndsAfterItsClusterWasDeletedRegistersNoGaugeAgain() {
        EtcdCluster deleted = cluster("uid-1");
        gauges.conditions(deleted);
        gauges.backups(deleted);
        assertThat(registry.getMeters()).isNotEmpty();

        gauges.forget(deleted);
        gauges.conditions(deleted); // the reconcile that was in flight ends now
        gauges.backups(deleted);
        assertThat(registry.getMeters()).as("the deleted cluster's gauges").isEmpty();

        gauges.conditions(cluster("uid-2"));
        assertThat(registry.getMeters()).as("a new cluster of the same name is another cluster").isNotEmpty();
    }

    private static EtcdCluster cluster(String uid) {
        EtcdCluster c = new EtcdCluster();
        c.setMetadata(new ObjectMetaBuilder().withName("kv").withNamespace("ns").withUid(uid).build());
        c.getSpec().setReplicas(3);
        c.getStatus().setConditions(List.of(new ConditionBuilder().withType("Ready").withStatus("True").withReason("ClusterReady").build()));
        return c;
    }
}
