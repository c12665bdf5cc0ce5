package com.storageos.etcd.reconciler.etcdcluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.spec.BootstrapSpec;
import com.storageos.etcd.api.v1alpha1.spec.RestoreSpec;
import com.storageos.etcd.api.v1alpha1.status.BootstrapStatus;
import com.storageos.etcd.etcdclient.EtcdAdmin;
import com.storageos.etcd.etcdclient.JetcdEtcdAdminFactory;
import com.storageos.etcd.events.ClusterEvents;
import com.storageos.etcd.membership.ClusterObservation;
import com.storageos.etcd.membership.Step;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.reconciler.etcdcluster.pods.PodReading;
import com.storageos.etcd.testing.EtcdTestCluster;
import com.storageos.etcd.toolcontract.BootstrapReport;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A new cluster seeded by spec.bootstrap.restore: once it forms, the status says what member 0 restored, as its
 * bootstrap init container reported it in its termination message, and a replay that stopped short is a Warning event,
 * as for a restore in place. The real step executor closes the Bootstrap journal against a real etcd.
 */
class ClusterFormationEtcdIT {
    static EtcdTestCluster etcd;
    static EtcdAdmin admin;
    final List<String> events = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        etcd = EtcdTestCluster.start(1);
        admin = new JetcdEtcdAdminFactory(Duration.ofSeconds(5)).connect(etcd.clientUrls());
    }

    @AfterAll
    static void stop() {
        admin.close();
        etcd.close();
    }

    @Test
    void aClusterRestoredFromABackupSaysTheRevisionItWasRestoredToAndWarnsWhenTheReplayStoppedShort() {
        String partial = "restored c-20261207T150000Z.snapshot.db (revision 20) and replayed its chain to revision 846; revisions"
                + " 847..2815 were not recovered: chunk x fails its SHA-256 checksum";
        InMemoryJournal journal = formed(restoring(), new BootstrapReport.Recovered(OptionalLong.of(846), false, partial).line());
        BootstrapStatus bootstrap = journal.status().getBootstrap();
        assertThat(journal.status().getClusterId()).isEqualTo(Long.toHexString(admin.clusterId()));
        assertThat(bootstrap.getRestoredRevision()).isEqualTo(846L);
        assertThat(bootstrap.getRestoredComplete()).isFalse();
        assertThat(bootstrap.getMessage()).isEqualTo(partial);
        assertThat(events).contains("Warning RestoreIncomplete spec.bootstrap.restore: " + partial)
                .anyMatch(e -> e.startsWith("Normal ClusterFormed etcd cluster ") && e.endsWith("; member 0 " + partial));

        events.clear();
        String whole = "restored c-20261207T150000Z.snapshot.db (revision 20) and replayed its chain to revision 1200";
        bootstrap = formed(restoring(), new BootstrapReport.Recovered(OptionalLong.of(1200), true, whole).line()).status().getBootstrap();
        assertThat(bootstrap.getRestoredRevision()).isEqualTo(1200L);
        assertThat(bootstrap.getRestoredComplete()).isTrue();
        assertThat(events).noneMatch(e -> e.startsWith("Warning"));
    }

    @Test
    void aClusterFormedWithoutARestoreHasNoBootstrapRecord() {
        assertThat(formed(new EtcdCluster(), "").status().getBootstrap()).isNull();
        assertThat(events).singleElement().satisfies(e -> assertThat(e).startsWith("Normal ClusterFormed").doesNotContain("member 0"));
    }

    private static EtcdCluster restoring() {
        EtcdCluster cluster = new EtcdCluster();
        BootstrapSpec bootstrap = new BootstrapSpec();
        RestoreSpec restore = new RestoreSpec();
        restore.setRevision(1200L);
        bootstrap.setRestore(restore);
        cluster.getSpec().setBootstrap(bootstrap);
        return cluster;
    }

    /** Closes the Bootstrap journal, member 0's pod having reported {@code terminationMessage} from its bootstrap. */
    private InMemoryJournal formed(EtcdCluster cluster, String terminationMessage) {
        cluster.setMetadata(new ObjectMetaBuilder().withName("c").withNamespace("ns").build());
        ClusterNames names = new ClusterNames("c", "ns");
        InMemoryJournal journal = new InMemoryJournal(names);
        ClusterObservation observation = new ClusterObservation(true, List.of(), Map.of(0, PodReading.read(memberZero(terminationMessage), 0,
                null, null)), 1, Set.of(0), Set.of(), admin.clusterId(), Instant.now(), "", Optional.empty());
        ClusterEvents recording = new ClusterEvents(null, Clock.systemUTC()) {
            @Override
            public void normal(EtcdCluster c, String reason, String message) {
                events.add("Normal " + reason + " " + message);
            }

            @Override
            public void warning(EtcdCluster c, String reason, String message) {
                events.add("Warning " + reason + " " + message);
            }
        };
        new StepExecutor(admin, journal, null, recording, cluster, names, Clock.systemUTC(), observation)
                .execute(new Step.ClusterFormed());
        return journal;
    }

    /** As the kubelet reports a pod whose bootstrap init container exited 0 with this termination message. */
    private static Pod memberZero(String terminationMessage) {
        return new PodBuilder().withNewMetadata().withName("c-0").withUid("u0").endMetadata()
                .withNewStatus().withInitContainerStatuses(new ContainerStatusBuilder().withName("bootstrap").withNewState()
                        .withNewTerminated().withExitCode(0).withMessage(terminationMessage).endTerminated().endState().build())
                .endStatus().build();
    }
}
