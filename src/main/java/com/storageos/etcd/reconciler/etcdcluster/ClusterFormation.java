package com.storageos.etcd.reconciler.etcdcluster;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.spec.BootstrapSpec;
import com.storageos.etcd.api.v1alpha1.status.BootstrapStatus;
import com.storageos.etcd.events.ClusterEvents;
import com.storageos.etcd.membership.BackupRecovery;
import com.storageos.etcd.membership.ClusterObservation;
import com.storageos.etcd.reconciler.etcdcluster.journal.JournalStore;
import com.storageos.etcd.toolcontract.BootstrapReport;
import java.time.Clock;
import java.util.Optional;

/**
 * The Bootstrap journal closed once the cluster formed, with etcd's cluster ID and, for a cluster seeded by
 * spec.bootstrap.restore, what member 0 restored (status.bootstrap), in one write; then the Events: a restore that
 * stopped short of its target is a Warning, as a restore in place's is.
 */
final class ClusterFormation {
    private final JournalStore journal;
    private final ClusterEvents events;
    private final EtcdCluster resource;
    private final Clock clock;

    ClusterFormation(JournalStore journal, ClusterEvents events, EtcdCluster resource, Clock clock) {
        this.journal = journal;
        this.events = events;
        this.resource = resource;
        this.clock = clock;
    }

    /** @param observation member 0's pod, whose bootstrap reported what it restored */
    void record(long clusterId, ClusterObservation observation) {
        String id = Long.toHexString(clusterId);
        boolean seeded = Optional.ofNullable(resource.getSpec().getBootstrap()).map(BootstrapSpec::getRestore).isPresent();
        Optional<BootstrapReport.Recovered> recovered = observation.pod(0).flatMap(p -> p.restore().recovered());
        BootstrapStatus restored = seeded ? restored(recovered) : null;
        journal.recordClusterFormed(id, restored);
        events.normal(resource, "ClusterFormed", "etcd cluster " + id + " formed" + (seeded ? "; member 0 " + restored.getMessage() : ""));
        if (recovered.filter(r -> !r.complete()).isPresent()) {
            events.warning(resource, BackupRecovery.RESTORE_INCOMPLETE, "spec.bootstrap.restore: " + recovered.get().summary());
        }
    }

    private BootstrapStatus restored(Optional<BootstrapReport.Recovered> recovered) {
        BootstrapStatus s = new BootstrapStatus();
        s.setFormedAt(clock.instant().toString());
        s.setMessage(recovered.map(BootstrapReport.Recovered::summary)
                .orElse("restored spec.bootstrap.restore; its bootstrap's report was gone when the cluster formed (the pod restarted)"));
        recovered.ifPresent(r -> {
            s.setRestoredRevision(r.revision().isPresent() ? r.revision().getAsLong() : null);
            s.setRestoredComplete(r.complete());
        });
        return s;
    }
}
