package com.storageos.etcd.reconciler.etcdcluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.status.EtcdClusterStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpecOrRequestChangedTest {
    final SpecOrRequestChanged filter = new SpecOrRequestChanged();

    static EtcdCluster cluster(long generation, Map<String, String> annotations) {
        EtcdCluster c = new EtcdCluster();
        c.setMetadata(new ObjectMetaBuilder().withName("c").withGeneration(generation).withAnnotations(annotations).build());
        c.setStatus(new EtcdClusterStatus());
        return c;
    }

    @Test
    void aStatusWriteWakesNothingButASpecChangeOrARequestDoes() {
        EtcdCluster before = cluster(3, Map.of());
        EtcdCluster statusOnly = cluster(3, Map.of());
        statusOnly.getStatus().setClusterId("abc");
        assertThat(filter.accept(statusOnly, before)).as("status only").isFalse();
        assertThat(filter.accept(cluster(4, Map.of()), before)).as("spec").isTrue();
        assertThat(filter.accept(cluster(3, Map.of("etcd.storageos.com/backup-now", "1")), before)).as("a request").isTrue();
        EtcdCluster deleting = cluster(3, Map.of());
        deleting.getMetadata().setDeletionTimestamp("2026-12-01T00:00:00Z");
        assertThat(filter.accept(deleting, before)).as("deletion").isTrue();
    }
}
