package com.storageos.etcd.reconciler.etcdcluster;

import com.storageos.etcd.api.v1alpha1.status.ActionStatus;
import com.storageos.etcd.api.v1alpha1.status.BootstrapStatus;
import com.storageos.etcd.api.v1alpha1.status.EtcdClusterStatus;
import com.storageos.etcd.api.v1alpha1.status.PodRestartStatus;
import com.storageos.etcd.api.v1alpha1.status.RecoveryStatus;
import com.storageos.etcd.membership.Journal;
import com.storageos.etcd.membership.Migration;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.reconciler.etcdcluster.journal.JournalStore;
import com.storageos.etcd.status.Migrations;
import com.storageos.etcd.status.PendingChanges;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The EtcdCluster status as the tests keep it. With {@code crashEvery = n}, every n-th journal write
 * is stored and then "crashes" the operator, so the action that should follow never happens.
 */
final class InMemoryJournal implements JournalStore {
    static final class InjectedCrash extends RuntimeException {
        InjectedCrash() {
            super("injected operator crash right after a journal write");
        }
    }

    private final ClusterNames names;
    private final EtcdClusterStatus status = new EtcdClusterStatus();
    private int crashEvery;
    private int writes;
    int crashes;
    private boolean crashOncePerState;
    private boolean crashAtNext;
    private final Set<String> statesSeen = new HashSet<>();
    /** The journal and migration states after which the operator "crashed", in order. */
    final List<String> crashedAfter = new ArrayList<>();

    InMemoryJournal(ClusterNames names) {
        this.names = names;
    }

    void crashEvery(int n) {
        this.crashEvery = n;
    }

    /** The next write is stored, then the operator "crashes": the act it records never happens. */
    void crashAtNextWrite() {
        this.crashAtNext = true;
    }

    /** Crash right after the first write of every distinct journal entry and migration phase: a restart at every phase. */
    void crashOnceAfterEveryNewState() {
        this.crashOncePerState = true;
    }

    @Override
    public synchronized void record(Optional<Journal> journal, String initialCluster) {
        status.setPendingChange(journal.map(j -> PendingChanges.write(j, names.member(j.ordinal()), initialCluster)).orElse(null));
        written();
    }

    private void written() {
        writes++;
        if (crashAtNext) {
            crashAtNext = false;
            crashes++;
            throw new InjectedCrash();
        }
        if (crashOncePerState) {
            var p = status.getPendingChange();
            String state = (p == null ? "no journal" : p.getOperation() + "/" + p.getPhase() + "/" + p.getOrdinal() + "/" + p.getMemberId())
                    + " migration " + (status.getMigration() == null ? "-" : status.getMigration().getPhase());
            if (statesSeen.add(state)) {
                crashes++;
                crashedAfter.add(state);
                throw new InjectedCrash();
            }
            return;
        }
        if (crashEvery > 0 && writes % crashEvery == 0) {
            crashes++;
            throw new InjectedCrash();
        }
    }

    @Override
    public synchronized void recordMigration(Migration next, String clusterId) {
        status.setMigration(Migrations.write(next));
        if (clusterId != null) {
            status.setClusterId(clusterId);
        }
        written();
    }

    @Override
    public synchronized void recordClusterFormed(String clusterId, BootstrapStatus restored) {
        status.setPendingChange(null);
        status.setClusterId(clusterId);
        if (restored != null) {
            status.setBootstrap(restored);
        }
        written();
    }

    @Override
    public synchronized void recordRestored(RecoveryStatus recovery, String clusterId) {
        status.setPendingChange(null);
        status.setRecovery(recovery);
        status.setClusterId(clusterId);
        written();
    }

    @Override
    public synchronized void recordRecovery(Optional<Journal> journal, RecoveryStatus recovery) {
        status.setPendingChange(journal.map(j -> PendingChanges.write(j, names.member(j.ordinal()), null)).orElse(null));
        status.setRecovery(recovery);
        written();
    }

    @Override
    public synchronized void recordRestart(PodRestartStatus restart) {
        status.setLastRestart(restart);
        written();
    }

    @Override
    public synchronized void recordAction(ActionStatus action) {
        status.setLastAction(action);
        written();
    }

    @Override
    public synchronized void refuseRecovery(RecoveryStatus recovery) {
        status.setRecovery(recovery);
        written();
    }

    synchronized EtcdClusterStatus status() {
        return status;
    }

    synchronized Optional<Journal> journal() {
        return PendingChanges.read(status.getPendingChange());
    }
}
