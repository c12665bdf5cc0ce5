package com.storageos.etcd.reconciler.etcdcluster.journal;

import com.storageos.etcd.naming.ClusterNames;

/**
 * A journal write lost its compare-and-swap: the EtcdCluster changed after this reconcile read it (another
 * operator, or any other status writer). Nothing was recorded, so nothing may be acted on.
 */
public final class JournalConflict extends RuntimeException {
    JournalConflict(ClusterNames names, String readVersion, Throwable cause) {
        super("EtcdCluster " + names.namespace() + "/" + names.cluster() + " changed since resourceVersion " + readVersion
                + " was read; the journal was not written and the step not taken", cause);
    }
}
