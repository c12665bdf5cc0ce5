package com.storageos.etcd.clusterstatus;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;

/** A status write lost its compare-and-swap: the EtcdCluster changed after it was read, and nothing was written. */
public final class StatusConflict extends RuntimeException {
    public StatusConflict(EtcdCluster read, Throwable cause) {
        super("EtcdCluster " + read.getMetadata().getNamespace() + "/" + read.getMetadata().getName() + " changed since resourceVersion "
                + read.getMetadata().getResourceVersion() + " was read", cause);
    }
}
