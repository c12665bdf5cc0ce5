package com.storageos.etcd.reconciler.storageossync;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.spec.StorageOSSpec;
import com.storageos.etcd.api.v1alpha1.status.EtcdClusterStatus;
import com.storageos.etcd.api.v1alpha1.status.MemberStatus;
import com.storageos.etcd.api.v1alpha1.status.StorageOSSyncStatus;
import com.storageos.etcd.membership.Migration;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.naming.MemberAddressing;
import com.storageos.etcd.status.Migrations;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** PURE: what one pass knows about an EtcdCluster before it looks at the StorageOSCluster. */
record Observed(EtcdCluster cluster, StorageOSSpec spec, String namespace, String address,
        SettleGate.Verdict verdict, StorageOSSyncStatus recorded, Duration settle) {
    static final int DEFAULT_SETTLE_SECONDS = 30;

    static Observed of(EtcdCluster cluster, MemberAddressing addressing, SettleGate gate) {
        StorageOSSpec spec = cluster.getSpec().getStorageos();
        ClusterNames names = new ClusterNames(cluster.getMetadata().getName(), cluster.getMetadata().getNamespace());
        EtcdClusterStatus status = cluster.getStatus();
        List<MemberStatus> members = status == null ? List.of() : status.getMembers();
        StorageOSSyncStatus recorded = status == null ? null : status.getStorageos();
        Duration settle = Duration.ofSeconds(spec.getSettleSeconds() == null ? DEFAULT_SETTLE_SECONDS : spec.getSettleSeconds());
        SettleGate.Verdict verdict = gate.evaluate(KvBackendAddress.voters(members, names), recorded, settle);
        String address = KvBackendAddress.compute(spec, members, names, addressing);
        return new Observed(cluster, spec, targetNamespace(cluster), address, verdict, recorded, settle);
    }

    /** spec.storageos.namespace, defaulting to the EtcdCluster's own namespace. */
    static String targetNamespace(EtcdCluster cluster) {
        String ns = cluster.getSpec().getStorageos().getNamespace();
        return ns == null || ns.isBlank() ? cluster.getMetadata().getNamespace() : ns;
    }

    String target() {
        return namespace + "/" + spec.getName();
    }

    /**
     * A migration from an external cluster keeps StorageOS on the external members until every member of ours votes:
     * an address with only some of them would be switched again at each promotion.
     */
    boolean heldByMigration() {
        EtcdClusterStatus status = cluster.getStatus();
        boolean joining = cluster.getSpec().getBootstrap() != null && cluster.getSpec().getBootstrap().getJoin() != null;
        Optional<Migration> migration = Migrations.read(status == null ? null : status.getMigration());
        if (!joining || migration.isPresent() && !migration.get().holdsStorageOS() && migration.get().phase() != Migration.Phase.SwitchingClients) {
            return false;
        }
        // The phase moves on an observation newer than status.members: wait until they, too, show every member of ours voting.
        return migration.map(Migration::holdsStorageOS).orElse(true) || KvBackendAddress.healthyVoterOrdinals(
                status.getMembers(), new ClusterNames(cluster.getMetadata().getName(), cluster.getMetadata().getNamespace()))
                .size() < cluster.getSpec().getReplicas();
    }

    /** Only member lists move with membership; the Service address never does, so it needs no settling. */
    boolean membersMode() {
        return spec.getAddressMode() == StorageOSSpec.AddressMode.Members;
    }

    Optional<Condition> currentCondition() {
        return SyncedCondition.find(cluster.getStatus() == null ? null : cluster.getStatus().getConditions());
    }
}
