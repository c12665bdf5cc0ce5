package com.storageos.etcd.testing.kube;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.status.EtcdClusterStatus;
import com.storageos.etcd.api.v1alpha1.status.ProgressStatus;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** What a user watching an EtcdCluster's status.progress sees of one operation: each entry with a new figure, in order. */
public final class ProgressEntries implements Watcher<EtcdCluster> {
    private final String operation;
    private final List<ProgressStatus> seen = new CopyOnWriteArrayList<>();

    public ProgressEntries(String operation) {
        this.operation = operation;
    }

    public List<ProgressStatus> seen() {
        return List.copyOf(seen);
    }

    @Override
    public void eventReceived(Action action, EtcdCluster cluster) {
        Optional.ofNullable(cluster.getStatus()).map(EtcdClusterStatus::getProgress).orElse(List.of()).stream()
                .filter(p -> operation.equals(p.getOperation()))
                .filter(p -> seen.isEmpty() || !Objects.equals(seen.get(seen.size() - 1).getDone(), p.getDone()))
                .forEach(seen::add);
    }

    @Override
    public void onClose(WatcherException cause) {
    }
}
