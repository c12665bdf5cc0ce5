package com.storageos.etcd.reconciler.storageossync;

import static com.storageos.etcd.reconciler.storageossync.StorageOSSyncFixture.SERVICE;
import static com.storageos.etcd.reconciler.storageossync.StorageOSSyncFixture.hosts;
import static com.storageos.etcd.reconciler.storageossync.StorageOSSyncFixture.member;
import static com.storageos.etcd.reconciler.storageossync.StorageOSSyncFixture.untouchedPart;
import static com.storageos.etcd.reconciler.storageossync.StorageOSSyncFixture.voter;
import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.spec.StorageOSSpec.AddressMode;
import com.storageos.etcd.api.v1alpha1.spec.StorageOSSpec.UpdatePolicy;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The kvbackend reconciler against fabric8's mock API server in CRUD mode, called directly. */
@EnableKubernetesMockClient(crud = true)
class StorageOSSyncMockApiTest {
    KubernetesClient client;
    StorageOSSyncFixture fx;

    @BeforeEach
    void setUp() throws Exception {
        fx = new StorageOSSyncFixture(client);
    }

    @Test
    void serviceAddressConvergesAndEveryOtherFieldSurvives() throws Exception {
        fx.etcdCluster(AddressMode.Service, UpdatePolicy.Patch, 30);
        fx.voters(3);
        GenericKubernetesResource before = fx.storageOSCluster("10.0.0.1:2379,10.0.0.2:2379");

        assertThat(fx.reconcile().getScheduleDelay()).contains(30_000L);

        assertThat(fx.address()).isEqualTo(SERVICE);
        assertThat(untouchedPart(fx.stos())).isEqualTo(untouchedPart(before));
        assertThat(fx.stos().getMetadata().getUid()).isEqualTo(before.getMetadata().getUid());
        Condition synced = fx.synced();
        assertThat(synced.getStatus()).isEqualTo("True");
        assertThat(synced.getReason()).isEqualTo("Synced");
        assertThat(synced.getObservedGeneration()).isEqualTo(fx.etcd().getMetadata().getGeneration());
        EtcdCluster etcd = fx.etcd();
        assertThat(etcd.getStatus().getConditions()).extracting(Condition::getType).containsExactly("Ready", "StorageOSSynced");
        assertThat(etcd.getStatus().getMembers()).hasSize(3);
        assertThat(etcd.getStatus().getStorageos().getAddress()).isEqualTo(SERVICE);
    }

    @Test
    void secondPassWritesNothing() throws Exception {
        fx.etcdCluster(AddressMode.Service, UpdatePolicy.Patch, 30);
        fx.voters(3);
        fx.storageOSCluster("old:2379");
        fx.reconcile();
        String rvStos = fx.stos().getMetadata().getResourceVersion();
        String rvEtcd = fx.etcd().getMetadata().getResourceVersion();
        fx.clock.advance(Duration.ofMinutes(5));

        fx.reconcile();

        assertThat(fx.stos().getMetadata().getResourceVersion()).isEqualTo(rvStos);
        assertThat(fx.etcd().getMetadata().getResourceVersion()).isEqualTo(rvEtcd);
        assertThat(fx.events("StorageOSAddressUpdated")).hasSize(1);
    }

    @Test
    void membersModeScaleChangesTheAddressOnceAfterTheSettlePeriod() throws Exception {
        fx.etcdCluster(AddressMode.Members, UpdatePolicy.Patch, 10);
        fx.voters(3);
        fx.storageOSCluster("old:2379");
        assertThat(fx.reconcile().getScheduleDelay()).contains(10_000L);
        assertThat(fx.synced().getReason()).isEqualTo("SettlingMembership");
        fx.clock.advance(Duration.ofSeconds(10));
        fx.reconcile();
        assertThat(fx.address()).isEqualTo(hosts(3));
        assertThat(fx.synced().getReason()).isEqualTo("RestartRequired");
        assertThat(fx.synced().getMessage()).contains("restart");

        // 3 -> 5 through learners, each step shorter than the settle period.
        fx.members(List.of(voter(0), voter(1), voter(2), member(3, "Learner", true)));
        fx.clock.advance(Duration.ofSeconds(4));
        assertThat(fx.reconcile().getScheduleDelay()).contains(30_000L); // learners do not change the voter set
        fx.members(List.of(voter(0), voter(1), voter(2), voter(3), member(4, "Learner", true)));
        fx.reconcile();
        fx.clock.advance(Duration.ofSeconds(4));
        fx.members(List.of(voter(0), voter(1), voter(2), voter(3), voter(4)));
        assertThat(fx.reconcile().getScheduleDelay()).contains(10_000L);
        assertThat(fx.synced().getReason()).isEqualTo("SettlingMembership");
        fx.clock.advance(Duration.ofSeconds(9));
        assertThat(fx.reconcile().getScheduleDelay()).contains(1_000L);
        assertThat(fx.address()).isEqualTo(hosts(3));

        fx.clock.advance(Duration.ofSeconds(1));
        fx.reconcile();
        fx.reconcile();
        assertThat(fx.address()).isEqualTo(hosts(5));
        assertThat(fx.events("StorageOSAddressUpdated")).hasSize(2);
        assertThat(fx.synced().getReason()).isEqualTo("RestartRequired");
        assertThat(fx.etcd().getStatus().getStorageos().getVoters()).endsWith("storageos-etcd-4");
    }

    @Test
    void serviceModeAsksForARestartWhileANodePodStartedBeforeTheAddressChanged() throws Exception {
        fx.etcdCluster(AddressMode.Service, UpdatePolicy.Patch, 30);
        fx.voters(3);
        fx.storageOSCluster("10.0.0.1:2379");
        fx.nodePod("storageos-daemonset-a", fx.clock.instant().minusSeconds(3600));
        fx.nodePod("storageos-daemonset-b", fx.clock.instant().minusSeconds(3600));

        fx.reconcile();

        assertThat(fx.address()).isEqualTo(SERVICE);
        assertThat(fx.synced().getReason()).isEqualTo("RestartRequired");
        assertThat(fx.synced().getMessage()).contains("2 of 2", "kubectl -n storageos delete pod storageos-daemonset-a");
        fx.clock.advance(Duration.ofSeconds(40));
        fx.nodePod("storageos-daemonset-a", fx.clock.instant());
        fx.reconcile();
        assertThat(fx.synced().getReason()).isEqualTo("RestartRequired");
        assertThat(fx.synced().getMessage()).contains("1 of 2", "storageos-daemonset-b").doesNotContain("storageos-daemonset-a,");
        fx.nodePod("storageos-daemonset-b", fx.clock.instant());
        fx.reconcile();
        assertThat(fx.synced().getReason()).isEqualTo("Synced");
    }

    @Test
    void aHandEditedAddressIsCorrectedWithAWarning() throws Exception {
        fx.etcdCluster(AddressMode.Service, UpdatePolicy.Patch, 30);
        fx.voters(3);
        fx.storageOSCluster("old:2379");
        fx.reconcile();
        fx.stosClient().withName(StorageOSSyncFixture.STOS)
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"kvBackend\":{\"address\":\"10.9.9.9:2379\"}}}");

        fx.reconcile();

        assertThat(fx.address()).isEqualTo(SERVICE);
        assertThat(fx.events("StorageOSAddressOverwritten")).singleElement()
                .satisfies(e -> assertThat(e.getType()).isEqualTo("Warning"))
                .satisfies(e -> assertThat(e.getMessage()).contains("10.9.9.9:2379").contains(SERVICE))
                .satisfies(e -> assertThat(e.getInvolvedObject().getName()).isEqualTo(StorageOSSyncFixture.CLUSTER));
    }

    @Test
    void recreatePolicyRecreatesTheSameObjectWithOnlyTheAddressChanged() throws Exception {
        fx.etcdCluster(AddressMode.Service, UpdatePolicy.Recreate, 30);
        fx.voters(3);
        GenericKubernetesResource before = fx.storageOSCluster("old:2379");

        fx.reconcile();

        GenericKubernetesResource after = fx.stos();
        assertThat(after.getMetadata().getUid()).isNotEqualTo(before.getMetadata().getUid());
        assertThat(fx.address()).isEqualTo(SERVICE);
        assertThat(untouchedPart(after)).isEqualTo(untouchedPart(before));
        assertThat(fx.events("RecreatingStorageOSCluster")).singleElement()
                .satisfies(e -> assertThat(e.getMessage()).contains("old:2379").contains(SERVICE));
        assertThat(fx.events("RecreatedStorageOSCluster")).singleElement()
                .satisfies(e -> assertThat(e.getMessage()).contains(after.getMetadata().getUid()));
        assertThat(fx.synced().getReason()).isEqualTo("Synced");
    }

    @Test
    void aMissingStorageOSClusterIsWaitedForQuietly() throws Exception {
        fx.etcdCluster(AddressMode.Service, UpdatePolicy.Patch, 30);
        fx.voters(3);

        UpdateControl<EtcdCluster> control = fx.reconcile();

        assertThat(control.getScheduleDelay()).contains(30_000L);
        assertThat(fx.synced().getStatus()).isEqualTo("False");
        assertThat(fx.synced().getReason()).isEqualTo("WaitingForStorageOSCluster");
        String since = fx.synced().getLastTransitionTime();
        fx.clock.advance(Duration.ofSeconds(30));
        fx.reconcile();
        assertThat(fx.synced().getLastTransitionTime()).isEqualTo(since);

        fx.storageOSCluster("old:2379");
        fx.reconcile();
        assertThat(fx.address()).isEqualTo(SERVICE);
        assertThat(fx.synced().getLastTransitionTime()).isNotEqualTo(since);
    }

    @Test
    void quorumLostWritesNothing() throws Exception {
        fx.etcdCluster(AddressMode.Members, UpdatePolicy.Patch, 0);
        fx.members(List.of(voter(0), member(1, "Voter", false), member(2, "Voter", false)));
        GenericKubernetesResource before = fx.storageOSCluster("old:2379");

        assertThat(fx.reconcile().getScheduleDelay()).contains(30_000L);

        assertThat(fx.stos().getMetadata().getResourceVersion()).isEqualTo(before.getMetadata().getResourceVersion());
        assertThat(fx.synced().getReason()).isEqualTo("WaitingForQuorum");
        assertThat(client.v1().events().inNamespace(StorageOSSyncFixture.ETCD_NS).list().getItems()).isEmpty();
    }

    @Test
    void removingSpecStorageosRemovesOnlyOurStatus() throws Exception {
        fx.etcdCluster(AddressMode.Service, UpdatePolicy.Patch, 30);
        fx.voters(3);
        fx.storageOSCluster("old:2379");
        fx.reconcile();
        client.resources(EtcdCluster.class).inNamespace(StorageOSSyncFixture.ETCD_NS).withName(StorageOSSyncFixture.CLUSTER)
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"storageos\":null}}");

        fx.reconcile();

        EtcdCluster etcd = fx.etcd();
        assertThat(etcd.getStatus().getConditions()).extracting(Condition::getType).containsExactly("Ready");
        assertThat(etcd.getStatus().getStorageos()).isNull();
        assertThat(etcd.getStatus().getMembers()).hasSize(3);
    }
}
