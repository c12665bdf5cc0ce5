package com.storageos.etcd.tool.pitr;

import com.storageos.etcd.etcdclient.EtcdAdmin;
import com.storageos.etcd.etcdclient.EtcdAdminException;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The cluster ID the EtcdCluster records (status.clusterId), held against the etcd the follower reaches. An etcd that
 * answers under another ID (every volume wiped and a member started anew, or its URLs taken by other data) gets
 * nothing written: no snapshot, no chunk, no move of the recovery point, which then ages until the alert fires. A
 * snapshot of such a cluster would otherwise become what {@code latest} restores.
 */
final class RecordedCluster {
    /** What an interrupted wait does between two looks. */
    interface Pause {
        void run() throws InterruptedException;
    }

    /** 0: the cluster has not formed yet; null: nobody said (a follower outside the agent follows whatever answers). */
    private volatile Long expected;

    void expect(long clusterId) {
        expected = clusterId;
    }

    /** Why nothing may be written while etcd answers as {@code answering}; empty when it is the recorded cluster. */
    Optional<String> foreign(long answering) {
        Long id = expected;
        if (id == null || answering == id) {
            return Optional.empty();
        }
        return Optional.of("etcd answers as cluster " + Long.toHexString(answering) + " but the EtcdCluster records "
                + (id == 0 ? "no cluster ID yet" : Long.toHexString(id)) + ": nothing is written until they agree");
    }

    /** The highest revision the members answer with; 0 when none answers. */
    static long revision(EtcdAdmin admin, List<String> endpoints) {
        long revision = 0;
        for (String url : endpoints) {
            try {
                revision = Math.max(revision, admin.status(url).revision());
            } catch (EtcdAdminException e) {
                // not answering now: the others say
            }
        }
        return revision;
    }

    /** Waits while etcd answers as another cluster, saying so once per reason; its ID, or 0 when stopped meanwhile. */
    long await(EtcdAdmin admin, BooleanSupplier stopping, Consumer<String> log, Pause pause) throws InterruptedException {
        String said = "";
        while (!stopping.getAsBoolean()) {
            try {
                long answering = admin.clusterId();
                Optional<String> hold = foreign(answering);
                if (hold.isEmpty()) {
                    return answering;
                }
                if (!hold.get().equals(said)) {
                    log.accept(hold.get());
                    said = hold.get();
                }
            } catch (EtcdAdminException e) {
                // No member answers now: asked again after the pause.
            }
            pause.run();
        }
        return 0;
    }
}
