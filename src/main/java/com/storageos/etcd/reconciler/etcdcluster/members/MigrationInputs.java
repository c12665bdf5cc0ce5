package com.storageos.etcd.reconciler.etcdcluster.members;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.spec.BootstrapSpec;
import com.storageos.etcd.api.v1alpha1.spec.JoinSpec;
import com.storageos.etcd.api.v1alpha1.spec.StorageOSSpec;
import com.storageos.etcd.api.v1alpha1.status.EtcdClusterStatus;
import com.storageos.etcd.api.v1alpha1.status.MemberStatus;
import com.storageos.etcd.api.v1alpha1.status.StorageOSSyncStatus;
import com.storageos.etcd.membership.Migration;
import com.storageos.etcd.membership.MigrationInput;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.naming.MemberAddressing;
import com.storageos.etcd.reconciler.storageossync.KvBackendAddress;
import com.storageos.etcd.reconciler.storageossync.NodePods;
import com.storageos.etcd.status.Migrations;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads spec.bootstrap.join, status.migration, the approval annotation, StorageOS's recorded address and, while the migration
 * awaits their restart, StorageOS's node pods for the planner.
 */
public final class MigrationInputs {
    private MigrationInputs() {
    }

    public static Optional<MigrationInput> read(KubernetesClient client, EtcdCluster cluster, ClusterNames names, MemberAddressing addressing) {
        Optional<JoinSpec> join = Optional.ofNullable(cluster.getSpec().getBootstrap()).map(BootstrapSpec::getJoin);
        if (join.isEmpty()) {
            return Optional.empty();
        }
        EtcdClusterStatus status = cluster.getStatus();
        Optional<Migration> recorded = Migrations.read(status == null ? null : status.getMigration());
        Optional<String> approval = Optional.ofNullable(cluster.getMetadata().getAnnotations()).orElse(Map.of())
                .entrySet().stream().filter(e -> e.getKey().equals(Migration.APPROVAL_ANNOTATION)).map(Map.Entry::getValue).findFirst();
        MigrationInput input = new MigrationInput(recorded, approval, join.get().removesExternalMembers(),
                clientsSwitched(cluster, names, addressing), join.get().advertisesPodIps());
        Optional<Instant> written = Optional.ofNullable(status).map(EtcdClusterStatus::getStorageos).map(StorageOSSyncStatus::getLastWriteTime)
                .map(Instant::parse);
        if (Optional.ofNullable(cluster.getSpec().getStorageos()).map(StorageOSSpec::getNodeRestart).orElse(null)
                == StorageOSSpec.NodeRestart.Evict) {
            input = input.evictingStorageOSNodes();
        }
        // The node pods are listed only while the migration waits for them: other reconciles cost no request.
        return Optional.of(input.withStorageOS(written, input.awaitingStorageOS() ? new NodePods(client).read(cluster) : Optional.empty()));
    }

    /**
     * The external endpoints to connect to until the migration completed: those still listed as a member's client URL,
     * since a removed member answers "raft: stopped" until it exits. All of them when none is listed (before the first
     * observation, or when the endpoints name the members differently from how they advertise themselves).
     */
    static List<String> externalEndpoints(EtcdCluster cluster) {
        List<String> given = cluster.getSpec().getBootstrap().getJoin().getEndpoints();
        Set<String> listed = Optional.ofNullable(cluster.getStatus()).map(EtcdClusterStatus::getMembers).orElse(List.of()).stream()
                .map(MemberStatus::getClientURL).filter(Objects::nonNull).collect(Collectors.toSet());
        List<String> current = given.stream().filter(listed::contains).toList();
        return current.isEmpty() ? given : current;
    }

    /** StorageOS's address, as the sync last recorded it, names exactly this cluster's healthy voters; no StorageOS, nothing to switch. */
    private static boolean clientsSwitched(EtcdCluster cluster, ClusterNames names, MemberAddressing addressing) {
        if (cluster.getSpec().getStorageos() == null) {
            return true;
        }
        EtcdClusterStatus status = cluster.getStatus();
        String expected = KvBackendAddress.compute(cluster.getSpec().getStorageos(),
                status == null ? List.of() : status.getMembers(), names, addressing);
        String written = Optional.ofNullable(status).map(EtcdClusterStatus::getStorageos).map(StorageOSSyncStatus::getAddress).orElse(null);
        return !expected.isEmpty() && expected.equals(written);
    }
}
