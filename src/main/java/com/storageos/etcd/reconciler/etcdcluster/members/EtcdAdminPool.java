package com.storageos.etcd.reconciler.etcdcluster.members;

import com.storageos.etcd.etcdclient.ClientCredentials;
import com.storageos.etcd.etcdclient.EtcdAdmin;
import com.storageos.etcd.etcdclient.EtcdAdminFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One etcd connection per cluster, reused across reconciles (a jetcd client is costly to open).
 * Reopened when the endpoint set changes; closed when idle, which also covers deleted clusters
 * without needing a finalizer.
 */
public final class EtcdAdminPool implements AutoCloseable {
    private static final Duration IDLE = Duration.ofMinutes(10);

    private record Entry(List<String> endpoints, ClientCredentials tls, EtcdAdmin admin, Instant lastUsed) { }

    private final EtcdAdminFactory factory;
    private final Clock clock;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    public EtcdAdminPool(EtcdAdminFactory factory, Clock clock) {
        this.factory = factory;
        this.clock = clock;
    }

    /** A renewed client certificate (the cluster's own or the external cluster's) replaces the connection, as changed endpoints do. */
    public EtcdAdmin forCluster(String key, List<String> endpoints, ClientCredentials tls) {
        evictIdle();
        Entry entry = entries.compute(key, (k, old) -> {
            if (old != null && old.endpoints().equals(endpoints) && Objects.equals(old.tls(), tls)) {
                return new Entry(endpoints, tls, old.admin(), clock.instant());
            }
            if (old != null) {
                old.admin().close();
            }
            return new Entry(endpoints, tls, factory.connect(endpoints, tls), clock.instant());
        });
        return entry.admin();
    }

    private void evictIdle() {
        Instant cutoff = clock.instant().minus(IDLE);
        entries.entrySet().removeIf(e -> {
            boolean idle = e.getValue().lastUsed().isBefore(cutoff);
            if (idle) {
                e.getValue().admin().close();
            }
            return idle;
        });
    }

    @Override
    public void close() {
        entries.values().forEach(e -> e.admin().close());
        entries.clear();
    }
}
