package com.storageos.etcd.reconciler.etcdcluster;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.Objects;

/**
 * Which updates of an EtcdCluster wake a reconcile: a spec change (the generation), a user's request or pause
 * (annotations, which leave the generation alone), or the start of a deletion. Status writes, the operator's
 * own included, do not. Generation-aware processing alone would leave a backup-now or a recovery request
 * waiting for the next resync.
 */
public final class SpecOrRequestChanged implements OnUpdateFilter<EtcdCluster> {
    @Override
    public boolean accept(EtcdCluster updated, EtcdCluster old) {
        ObjectMeta now = updated.getMetadata();
        ObjectMeta before = old.getMetadata();
        return !Objects.equals(now.getGeneration(), before.getGeneration())
                || !Objects.equals(now.getAnnotations(), before.getAnnotations())
                || !Objects.equals(now.getDeletionTimestamp(), before.getDeletionTimestamp());
    }
}
