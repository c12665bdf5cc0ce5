package com.storageos.etcd.reconciler.etcdcluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.status.EtcdClusterStatus;
import com.storageos.etcd.membership.Journal;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.status.PendingChanges;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Writes the status subresource with optimistic locking (a PUT carrying the resourceVersion that
 * this reconcile read). A concurrent writer makes the write fail with 409 and the reconcile is
 * retried on fresh state: a journal entry is never written over a change this reconcile did not see.
 */
final class StatusWriter implements JournalStore {
    /**
     * Applies {@code change} to the object and puts its status; returns the stored object. On a
     * conflict, implementations re-read and re-apply {@code change}, so that fields other writers
     * own (backup, StorageOS sync) survive.
     */
    interface StatusUpdate {
        EtcdCluster put(EtcdCluster current, UnaryOperator<EtcdCluster> change);
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final StatusUpdate update;
    private final ClusterNames names;
    private EtcdCluster current;

    StatusWriter(EtcdCluster current, ClusterNames names, StatusUpdate update) {
        this.current = current;
        this.names = names;
        this.update = update;
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
        modify(s -> s.setPendingChange(journal.map(j -> PendingChanges.write(j, names.member(j.ordinal()), initialCluster)).orElse(null)));
    }

    @Override
    public void recordClusterFormed(String clusterId) {
        modify(s -> s.setClusterId(clusterId));
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
