package com.storageos.etcd.reconciler.storageossync;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.spec.BootstrapSpec;
import com.storageos.etcd.api.v1alpha1.spec.EtcdClusterSpec;
import com.storageos.etcd.api.v1alpha1.spec.JoinSpec;
import com.storageos.etcd.api.v1alpha1.spec.StorageOSSpec;
import com.storageos.etcd.api.v1alpha1.status.EtcdClusterStatus;
import com.storageos.etcd.api.v1alpha1.status.MemberStatus;
import com.storageos.etcd.api.v1alpha1.status.MigrationStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * During a migration StorageOS keeps the external members' address until every member of ours votes, as the
 * status shows them: one switch, never a partial list that a later promotion moves again.
 */
class MigrationHoldTest {

    static EtcdCluster migrating(String phase, List<MemberStatus> members) {
        EtcdCluster c = new EtcdCluster();
        c.setMetadata(new ObjectMetaBuilder().withName(KvBackendAddressTest.NAMES.cluster())
                .withNamespace(KvBackendAddressTest.NAMES.namespace()).withGeneration(1L).build());
        EtcdClusterSpec spec = new EtcdClusterSpec();
        spec.setReplicas(3);
        spec.setStorageos(KvBackendAddressTest.spec(StorageOSSpec.AddressMode.Members));
        BootstrapSpec bootstrap = new BootstrapSpec();
        JoinSpec join = new JoinSpec();
        join.setEndpoints(List.of("http://10.0.0.1:2379"));
        bootstrap.setJoin(join);
        spec.setBootstrap(bootstrap);
        c.setSpec(spec);
        EtcdClusterStatus status = new EtcdClusterStatus();
        status.setMembers(members);
        if (phase != null) {
            MigrationStatus m = new MigrationStatus();
            m.setPhase(phase);
            status.setMigration(m);
        }
        c.setStatus(status);
        return c;
    }

    static List<MemberStatus> external() {
        return new ArrayList<>(List.of(KvBackendAddressTest.member("old-1", "Voter", true), KvBackendAddressTest.member("old-2", "Voter", true)));
    }

    static boolean held(String phase, int ourVoters) {
        List<MemberStatus> members = external();
        for (int i = 0; i < ourVoters; i++) {
            members.add(KvBackendAddressTest.voter(i));
        }
        return Observed.of(migrating(phase, members), KvBackendAddressTest.DNS, new SettleGate(Clock.systemUTC())).heldByMigration();
    }

    @Test
    void theAddressIsHeldUntilEveryMemberOfOursVotesInTheStatus() {
        assertThat(held(null, 0)).as("before any plan").isTrue();
        assertThat(held("Proposed", 0)).isTrue();
        assertThat(held("Joining", 2)).as("two of three voting: no partial address").isTrue();
        assertThat(held("SwitchingClients", 2)).as("the phase moved on a newer observation than status.members").isTrue();
        assertThat(held("SwitchingClients", 3)).isFalse();
        assertThat(held("RemovingExternalMembers", 3)).isFalse();
        assertThat(held("Completed", 2)).as("an ordinary cluster again: the sync follows its voters").isFalse();
    }

    @Test
    void aFailedMigrationNeverSwitchesStorageOSEvenWithEveryMemberOfOursStillListed() {
        // A failure is only possible while joining; the rollback removes ours one by one, and the address stays external.
        assertThat(held("RollingBack", 3)).isTrue();
        assertThat(held("Failed", 0)).isTrue();
    }

    @Test
    void aClusterThatJoinsNothingIsNeverHeld() {
        EtcdCluster plain = migrating(null, List.of(KvBackendAddressTest.voter(0)));
        plain.getSpec().setBootstrap(null);
        assertThat(Observed.of(plain, KvBackendAddressTest.DNS, new SettleGate(Clock.systemUTC())).heldByMigration()).isFalse();
    }
}
