package com.storageos.etcd.metrics;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.status.TlsStatus;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.HashSet;
import java.util.Set;

/**
 * Every per-cluster gauge the operator exports, kept from outliving its cluster. A reconcile in flight when the cluster is
 * deleted ends after the deletion was seen; its update must not register the deleted cluster's gauges again, so updates
 * and the deletion take one lock, and a deleted cluster's UID is never updated again (a new cluster of the name has another).
 */
public final class ClusterGauges {
    private final BackupMetrics backups;
    private final CertificateMetrics certificates;
    private final ClusterMetrics conditions;
    private final RecoveryPointMetrics recoveryPoints;
    private final Set<String> deletedUids = new HashSet<>();

    /** @param clusterLabel the label naming the EtcdCluster (the chart's metrics.clusterLabel) */
    public ClusterGauges(MeterRegistry registry, String clusterLabel, Clock clock) {
        this.backups = new BackupMetrics(registry, clusterLabel);
        this.recoveryPoints = new RecoveryPointMetrics(registry, clusterLabel, clock);
        this.certificates = new CertificateMetrics(registry, clusterLabel);
        this.conditions = new ClusterMetrics(registry, clusterLabel);
    }

    /** The backup, defrag and recovery point gauges, from the status the tools and the backup agent write. */
    public synchronized void backups(EtcdCluster cluster) {
        if (live(cluster)) {
            backups.update(cluster);
            recoveryPoints.update(cluster);
        }
    }

    public synchronized void certificates(EtcdCluster cluster, TlsStatus tls) {
        if (live(cluster)) {
            certificates.update(cluster.getMetadata().getNamespace(), cluster.getMetadata().getName(), tls);
        }
    }

    /** The condition and member-count gauges, from the status a reconcile left. */
    public synchronized void conditions(EtcdCluster cluster) {
        if (live(cluster)) {
            conditions.update(cluster);
        }
    }

    public synchronized void forget(EtcdCluster cluster) {
        if (cluster.getMetadata().getUid() != null) {
            deletedUids.add(cluster.getMetadata().getUid());
        }
        String namespace = cluster.getMetadata().getNamespace();
        String name = cluster.getMetadata().getName();
        backups.forget(namespace, name);
        recoveryPoints.forget(namespace, name);
        certificates.forget(namespace, name);
        conditions.forget(namespace, name);
    }

    private boolean live(EtcdCluster cluster) {
        return cluster.getMetadata().getUid() == null || !deletedUids.contains(cluster.getMetadata().getUid());
    }
}
