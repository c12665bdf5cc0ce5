package com.storageos.etcd.reconciler.etcdcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.spec.EtcdClusterSpec;
import com.storageos.etcd.api.v1alpha1.status.BackupStatus;
import com.storageos.etcd.api.v1alpha1.status.EtcdClusterStatus;
import com.storageos.etcd.clusterstatus.ClusterStatusWriter;
import com.storageos.etcd.etcdclient.EtcdAdmin;
import com.storageos.etcd.etcdclient.EtcdMember;
import com.storageos.etcd.etcdclient.JetcdEtcdAdminFactory;
import com.storageos.etcd.events.ClusterEvents;
import com.storageos.etcd.membership.Journal;
import com.storageos.etcd.membership.Journal.Operation;
import com.storageos.etcd.membership.Journal.Phase;
import com.storageos.etcd.membership.RecoveryRequest;
import com.storageos.etcd.membership.Step;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.reconciler.etcdcluster.journal.JournalConflict;
import com.storageos.etcd.reconciler.etcdcluster.journal.JournaledStatus;
import com.storageos.etcd.reconciler.etcdcluster.pods.KubernetesClusterOperations;
import com.storageos.etcd.testing.EtcdTestCluster;
import com.storageos.etcd.testing.kube.ControlPlane;
import com.storageos.etcd.testing.kube.OperatorInstall;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A leader-election overlap on a real API server, with a real etcd: two operators read the same
 * EtcdCluster and each plans a member removal. The first records its journal and removes its member;
 * the second's journal write must fail on the resourceVersion it read, and its member must stay. A
 * status field another writer owns (the backup tool's lastBackup) is never written over. A restore whose journal write
 * lost says nothing started.
 */
class JournalCompareAndSwapApiServerTest {
    static final ClusterNames NAMES = new ClusterNames("cas", "cas");

    @Test
    void twoOperatorsThatReadTheSameVersionCannotBothRecordAndAct() throws InterruptedException {
        try (ControlPlane plane = ControlPlane.start(false); EtcdTestCluster etcd = EtcdTestCluster.start(3);
             EtcdAdmin admin = new JetcdEtcdAdminFactory(Duration.ofSeconds(10)).connect(etcd.clientUrls())) {
            KubernetesClient client = created(plane, NAMES);
            EtcdCluster withBackup = client.resources(EtcdCluster.class).inNamespace(NAMES.namespace()).withName(NAMES.cluster()).get();
            withBackup.setStatus(new EtcdClusterStatus());
            BackupStatus backup = new BackupStatus();
            backup.setLocation("snap-1");
            withBackup.getStatus().setLastBackup(backup);
            client.resource(withBackup).updateStatus();

            EtcdCluster read = client.resources(EtcdCluster.class).inNamespace(NAMES.namespace()).withName(NAMES.cluster()).get();
            List<EtcdMember> members = admin.listMembers();
            EtcdMember first = members.get(1);
            EtcdMember second = members.get(2);

            // etcd refuses a reconfiguration until every member has been connected for 5 s (its strict check): a
            // refusal is transient and leaves the journal recorded, so the first operator simply goes on.
            StepExecutor firstOperator = executor(client, admin, read, NAMES);
            StepResult done = firstOperator.execute(removal(1, first));
            for (long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos(); done.failure() != null && System.nanoTime() < deadline; ) {
                Thread.sleep(500);
                done = firstOperator.execute(removal(1, first));
            }
            assertThat(done.error()).isNull();
            assertThat(done.failure()).as("etcd accepted the first removal").isNull();
            assertThatThrownBy(() -> executor(client, admin, read, NAMES).execute(removal(2, second)))
                    .as("the second operator's journal write, on the version both read").isInstanceOf(JournalConflict.class);

            assertThat(admin.listMembers()).extracting(EtcdMember::id).as("only the first operator removed a member")
                    .doesNotContain(first.id()).contains(second.id()).hasSize(2);
            EtcdCluster stored = client.resources(EtcdCluster.class).inNamespace(NAMES.namespace()).withName(NAMES.cluster()).get();
            assertThat(stored.getStatus().getPendingChange().getOrdinal()).as("the journal is the first operator's").isEqualTo(1);
            assertThat(stored.getStatus().getPendingChange().getPhase()).isEqualTo(Phase.MemberRemoved.name());
            assertThat(stored.getStatus().getLastBackup().getLocation()).as("the backup tool's field").isEqualTo("snap-1");
        }
    }

    @Test
    void aRestoreWhoseJournalWriteLostItsCompareAndSwapSaysNothingStarted() {
        ClusterNames names = new ClusterNames("cas", "restore");
        try (ControlPlane plane = ControlPlane.start(false); EtcdTestCluster etcd = EtcdTestCluster.start(1);
             EtcdAdmin admin = new JetcdEtcdAdminFactory(Duration.ofSeconds(10)).connect(etcd.clientUrls())) {
            KubernetesClient client = created(plane, names);
            EtcdCluster read = client.resources(EtcdCluster.class).inNamespace(names.namespace()).withName(names.cluster()).get();
            Step restore = new Step.StartRestore(Journal.start(Operation.RestoreFromBackup, Phase.SeedFromBackup, 0, "", 0,
                    Clock.systemUTC().instant()), RecoveryRequest.fromBackup("force-latest#1", Optional.of("pvc://backups")), List.of("cas-0"));

            executor(client, admin, read, names).execute(restore);
            assertThatThrownBy(() -> executor(client, admin, read, names).execute(restore))
                    .as("the second operator's journal write, on the version both read").isInstanceOf(JournalConflict.class);
            assertThat(client.v1().events().inNamespace(names.namespace()).list().getItems()).filteredOn(e -> e.getReason().equals("RestoreStarted"))
                    .as("one restore started: the first operator's").hasSize(1);
        }
    }

    private static KubernetesClient created(ControlPlane plane, ClusterNames names) {
        OperatorInstall.applyCrd(plane, Path.of("crds", "etcdclusters.etcd.storageos.com-v1.yml"));
        KubernetesClient client = plane.admin();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(names.namespace()).endMetadata().build()).create();
        EtcdCluster created = new EtcdCluster();
        created.setMetadata(new ObjectMetaBuilder().withName(names.cluster()).withNamespace(names.namespace()).build());
        created.setSpec(new EtcdClusterSpec());
        client.resource(created).create();
        return client;
    }

    private static Step removal(int ordinal, EtcdMember member) {
        return new Step.RemoveMember(Journal.start(Operation.ScaleDown, Phase.RemoveRequested, ordinal, member.peerUrls().get(0),
                member.id(), Clock.systemUTC().instant()));
    }

    /** One operator's reconcile from {@code read}: its own status writer and executor, as the reconciler builds them. */
    private static StepExecutor executor(KubernetesClient client, EtcdAdmin admin, EtcdCluster read, ClusterNames names) {
        EtcdCluster own = client.getKubernetesSerialization().clone(read);
        JournaledStatus status = new JournaledStatus(own, names, new ClusterStatusWriter(client));
        return new StepExecutor(admin, status, new KubernetesClusterOperations(client, names), new ClusterEvents(client, Clock.systemUTC()),
                own, names, Clock.systemUTC(), null);
    }
}
