package com.storageos.etcd.reconciler.etcdcluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.status.EtcdClusterStatus;
import com.storageos.etcd.api.v1alpha1.status.PendingChange;
import com.storageos.etcd.api.v1alpha1.status.RecoveryStatus;
import com.storageos.etcd.membership.Journal;
import com.storageos.etcd.membership.Migration;
import com.storageos.etcd.status.Migrations;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.status.PendingChanges;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The one writer of the EtcdCluster status, with two kinds of write:
 * <ul>
 *   <li>journal writes ({@link #record}, {@link #recordClusterFormed}), which the executor acts on: a
 *   compare-and-swap on the resourceVersion this reconcile read (or last wrote). If anything wrote the
 *   object since, say a second operator during a leader-election overlap, the write fails with
 *   {@link JournalConflict} and the caller must not act; the reconcile retries on fresh state. A re-read
 *   and re-apply here would let two operators both record and both act.</li>
 *   <li>everything else ({@link #modify}): re-read and re-applied on a conflict, so that the fields other
 *   writers own (backup, defrag, StorageOS sync) survive.</li>
 * </ul>
 */
final class StatusWriter implements JournalStore {
    /** Applies {@code change} to the object and puts its status, re-reading and re-applying on a conflict; returns the stored object. */
    interface StatusUpdate {
        EtcdCluster put(EtcdCluster current, UnaryOperator<EtcdCluster> change);
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final StatusUpdate update;
    private final KubernetesClient client;
    private final BiConsumer<EtcdCluster, EtcdCluster> written;
    private final ClusterNames names;
    private EtcdCluster current;

    /**
     * @param client  writes the journal, exactly on {@code current}'s resourceVersion
     * @param written told of each journal write (stored object, previous object), to keep the operator's cache current
     */
    StatusWriter(EtcdCluster current, ClusterNames names, StatusUpdate update, KubernetesClient client,
                 BiConsumer<EtcdCluster, EtcdCluster> written) {
        this.current = current;
        this.names = names;
        this.update = update;
        this.client = client;
        this.written = written;
    }

    /** Applies the change and writes it, unless the status would come out the same: a converged reconcile writes nothing. */
    void modify(Consumer<EtcdClusterStatus> change) {
        EtcdClusterStatus before = current.getStatus() == null ? new EtcdClusterStatus() : current.getStatus();
        EtcdClusterStatus after = copy(before);
        change.accept(after);
        if (current.getStatus() != null && JSON.valueToTree(after).equals(JSON.valueToTree(before))) {
            return;
        }
        current = update.put(current, c -> {
            if (c.getStatus() == null) {
                c.setStatus(new EtcdClusterStatus());
            }
            change.accept(c.getStatus());
            return c;
        });
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
    public void recordClusterFormed(String clusterId) {
        swap(s -> {
            s.setPendingChange(null);
            s.setClusterId(clusterId);
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
    public void refuseRecovery(RecoveryStatus recovery) {
        swap(s -> s.setRecovery(recovery));
    }

    /** Always written, even when unchanged: the write is what proves nobody else wrote since this reconcile read. */
    private void swap(Consumer<EtcdClusterStatus> change) {
        EtcdCluster next = client.getKubernetesSerialization().clone(current);
        if (next.getStatus() == null) {
            next.setStatus(new EtcdClusterStatus());
        }
        change.accept(next.getStatus());
        try {
            EtcdCluster stored = client.resource(next).updateStatus();
            written.accept(stored, current);
            current = stored;
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
                throw new JournalConflict(names, current.getMetadata().getResourceVersion(), e);
            }
            throw e;
        }
    }

    /** Each journal write counts up, so that it always changes the object and two writes from the same read cannot both succeed. */
    private static PendingChange numbered(PendingChange next, EtcdClusterStatus previous) {
        long last = Optional.ofNullable(previous.getPendingChange()).map(PendingChange::getSequence).orElse(0L);
        next.setSequence(last + 1);
        return next;
    }

    private static EtcdClusterStatus copy(EtcdClusterStatus status) {
        try {
            return JSON.treeToValue(JSON.valueToTree(status), EtcdClusterStatus.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the status does not round-trip through JSON", e);
        }
    }

    EtcdCluster current() {
        return current;
    }
}
