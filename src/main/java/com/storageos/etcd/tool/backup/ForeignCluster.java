package com.storageos.etcd.tool.backup;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.status.EtcdClusterStatus;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * A backup refused because etcd answers under another cluster ID than the EtcdCluster's status.clusterId: every volume
 * wiped and a member started anew, or its URLs taken by other data. Its snapshot would become what {@code latest}
 * restores, and retention would count it among the backups kept. The backup agent holds for the same reason.
 */
final class ForeignCluster extends IOException {
    private ForeignCluster(String message) {
        super(message);
    }

    /**
     * Refuses unless etcd answers as the recorded cluster. A cluster that records no ID yet has not formed; it is backed
     * up as before, nothing being there to hold it against.
     */
    static void check(EtcdCluster cluster, long answering, List<String> endpoints) throws ForeignCluster {
        Optional<String> recorded = Optional.ofNullable(cluster.getStatus()).map(EtcdClusterStatus::getClusterId);
        if (recorded.isPresent() && Long.parseUnsignedLong(recorded.get(), 16) != answering) {
            throw new ForeignCluster("etcd at " + String.join(",", endpoints) + " answers as cluster " + Long.toHexString(answering)
                    + " but the EtcdCluster records status.clusterId " + recorded.get() + " (every volume wiped and a member"
                    + " started anew?): no snapshot was taken, so that this cluster never becomes what a restore to latest"
                    + " brings back. Restore from a backup (restore-from-backup) or recover the recorded cluster first");
        }
    }
}
