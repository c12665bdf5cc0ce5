package com.storageos.etcd.clusterstatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.spec.EtcdClusterSpec;
import com.storageos.etcd.api.v1alpha1.status.BackupStatus;
import com.storageos.etcd.api.v1alpha1.status.ContinuousBackupStatus;
import com.storageos.etcd.api.v1alpha1.status.RecoveryPointStatus;
import com.storageos.etcd.testing.kube.ControlPlane;
import com.storageos.etcd.testing.kube.OperatorInstall;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The journal's compare-and-swap on a real API server, against the other writers of the status: the backup agent's
 * recovery point, written every 5 s, does not make it fail (a reconcile waiting on unreachable members takes as long, and
 * a restore asked for then was never recorded); any other write still does, and nothing another writer wrote is lost.
 */
class ClusterStatusWriterApiServerTest {
    private static final String NS = "writer";

    @Test
    void theAgentsRecoveryPointDoesNotBreakTheSwapAnyOtherWriteDoes() {
        try (ControlPlane plane = ControlPlane.start(false)) {
            OperatorInstall.applyCrd(plane, Path.of("crds", "etcdclusters.etcd.storageos.com-v1.yml"));
            KubernetesClient client = plane.admin();
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
            EtcdCluster created = new EtcdCluster();
            created.setMetadata(new ObjectMetaBuilder().withName("kv").withNamespace(NS).build());
            created.setSpec(new EtcdClusterSpec());
            client.resource(created).create();
            ClusterStatusWriter operator = new ClusterStatusWriter(client);
            ClusterStatusWriter agent = new ClusterStatusWriter(client);

            EtcdCluster read = get(client);
            agent.update(get(client), s -> s.setContinuousBackup(recoveryPoint(42)));
            operator.compareAndSwap(read, s -> s.setClusterId("c1"));
            assertThat(get(client).getStatus()).satisfies(s -> assertThat(s.getClusterId()).isEqualTo("c1"))
                    .satisfies(s -> assertThat(s.getContinuousBackup().getRecoveryPoint().getRevision()).as("the agent's").isEqualTo(42L));

            EtcdCluster again = get(client);
            agent.update(get(client), s -> s.setContinuousBackup(recoveryPoint(43)));
            agent.update(get(client), s -> s.setLastBackup(backup()));
            assertThatThrownBy(() -> operator.compareAndSwap(again, s -> s.setClusterId("c2")))
                    .as("a write besides the agent's recovery point since the read").isInstanceOf(StatusConflict.class);
            assertThat(get(client).getStatus().getClusterId()).isEqualTo("c1");
        }
    }

    private static EtcdCluster get(KubernetesClient client) {
        return client.resources(EtcdCluster.class).inNamespace(NS).withName("kv").get();
    }

    private static ContinuousBackupStatus recoveryPoint(long revision) {
        ContinuousBackupStatus s = new ContinuousBackupStatus();
        s.setRecoveryPoint(new RecoveryPointStatus(revision, "2026-12-07T00:00:00Z"));
        return s;
    }

    private static BackupStatus backup() {
        BackupStatus b = new BackupStatus();
        b.setLocation("snap-1");
        return b;
    }
}
