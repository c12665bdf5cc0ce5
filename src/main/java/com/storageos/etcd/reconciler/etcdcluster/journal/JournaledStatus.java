package com.storageos.etcd.reconciler.etcdcluster.journal;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.status.ActionStatus;
import com.storageos.etcd.api.v1alpha1.status.BootstrapStatus;
import com.storageos.etcd.api.v1alpha1.status.CaRotationStatus;
import com.storageos.etcd.api.v1alpha1.status.EtcdClusterStatus;
import com.storageos.etcd.api.v1alpha1.status.PendingChange;
import com.storageos.etcd.api.v1alpha1.status.PodRestartStatus;
import com.storageos.etcd.api.v1alpha1.status.RecoveryStatus;
import com.storageos.etcd.api.v1alpha1.status.TlsStatus;
import com.storageos.etcd.clusterstatus.ClusterStatusWriter;
import com.storageos.etcd.clusterstatus.StatusConflict;
import com.storageos.etcd.membership.Journal;
import com.storageos.etcd.membership.Migration;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.status.Migrations;
import com.storageos.etcd.status.PendingChanges;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One reconcile's status, written through the {@link ClusterStatusWriter}: journal writes, which the executor
 * acts on, as compare-and-swaps on the resourceVersion this reconcile read or last wrote (a lost swap is a
 * {@link JournalConflict}, and the caller must not act); everything else ({@link #modify}) re-read and
 * re-applied on a conflict.
 */
public final class JournaledStatus implements JournalStore {
    private final ClusterStatusWriter writer;
    private final ClusterNames names;
    private EtcdCluster current;

    public JournaledStatus(EtcdCluster current, ClusterNames names, ClusterStatusWriter writer) {
        this.current = current;
        this.names = names;
        this.writer = writer;
    }

    /** Writes through JOSDK's cache of the cluster, so that the next reconcile reads our own write. */
    public static JournaledStatus of(EtcdCluster cluster, ClusterNames names, KubernetesClient client, Context<EtcdCluster> context) {
        return new JournaledStatus(cluster, names, new ClusterStatusWriter(client, (stored, previous) -> context.eventSourceRetriever()
                .getControllerEventSource().handleRecentResourceUpdate(ResourceID.fromResource(stored), stored, previous)));
    }

    /** Applies the change and writes it, unless the status would come out the same. */
    public void modify(Consumer<EtcdClusterStatus> change) {
        current = writer.update(current, change);
    }

    @Override
    public void record(Optional<Journal> journal, String initialCluster) {
        swap(s -> s.setPendingChange(journal.map(j -> numbered(PendingChanges.write(j, memberName(j), initialCluster), s))
                .orElse(null)));
    }

    @Override
    public void recordMigration(Migration next, String clusterId) {
        swap(s -> {
            s.setMigration(Migrations.write(next));
            if (clusterId != null) {
                s.setClusterId(clusterId);
            }
        });
    }

    /** An external member being removed (ordinal -1) has no name of ours. */
    private String memberName(Journal j) {
        return j.ordinal() < 0 ? null : names.member(j.ordinal());
    }

    /** Closes the Bootstrap journal and records the cluster ID in one write: the guard against a second bootstrap never goes missing. */
    @Override
    public void recordClusterFormed(String clusterId, BootstrapStatus restored) {
        swap(s -> {
            s.setPendingChange(null);
            s.setClusterId(clusterId);
            if (restored != null) {
                s.setBootstrap(restored);
            }
        });
    }

    @Override
    public void recordRecovery(Optional<Journal> journal, RecoveryStatus recovery) {
        swap(s -> {
            s.setPendingChange(journal.map(j -> numbered(PendingChanges.write(j, names.member(j.ordinal()), null), s)).orElse(null));
            s.setRecovery(recovery);
        });
    }

    @Override
    public void recordRestored(RecoveryStatus recovery, String clusterId) {
        swap(s -> {
            s.setPendingChange(null);
            s.setRecovery(recovery);
            s.setClusterId(clusterId);
        });
    }

    @Override
    public void recordRestart(PodRestartStatus restart) {
        swap(s -> s.setLastRestart(restart));
    }

    @Override
    public void recordAction(ActionStatus action) {
        swap(s -> s.setLastAction(action));
    }

    @Override
    public void refuseRecovery(RecoveryStatus recovery) {
        swap(s -> s.setRecovery(recovery));
    }

    /** A CA rotation's next phase, recorded before it acts: like a journal write, only one of two operators records it. */
    public void recordCaRotation(CaRotationStatus rotation) {
        swap(s -> {
            if (s.getTls() == null) {
                s.setTls(new TlsStatus());
            }
            s.getTls().setCaRotation(rotation);
        });
    }

    private void swap(Consumer<EtcdClusterStatus> change) {
        try {
            current = writer.compareAndSwap(current, change);
        } catch (StatusConflict e) {
            throw new JournalConflict(names, current.getMetadata().getResourceVersion(), e);
        }
    }

    /** Each journal write counts up, so that it always changes the object and two writes from the same read cannot both succeed. */
    private static PendingChange numbered(PendingChange next, EtcdClusterStatus previous) {
        long last = Optional.ofNullable(previous.getPendingChange()).map(PendingChange::getSequence).orElse(0L);
        next.setSequence(last + 1);
        return next;
    }

    public EtcdCluster current() {
        return current;
    }
}
