package com.storageos.etcd.desired;

import com.storageos.etcd.api.v1alpha1.spec.EtcdTuningSpec;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.naming.MemberAddressing;
import com.storageos.etcd.toolcontract.MemberPaths;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The etcd configuration-file keys that do not depend on membership, as a template: URLs still
 * contain {@link MemberAddressing#ORDINAL}. The bootstrap tool fills in the ordinal and the
 * membership keys ({@code name}, {@code initial-cluster}, {@code initial-cluster-state}).
 */
public final class EtcdFlags {
    private EtcdFlags() {
    }

    public static Map<String, Object> template(ClusterNames names, EtcdTuningSpec tuning, MemberAddressing addressing, TlsLayout tls) {
        EtcdTuningSpec t = tuning == null ? new EtcdTuningSpec() : tuning;
        Map<String, Object> flags = new TreeMap<>();
        String host = addressing.memberHostTemplate(names);
        String listen = addressing.listenHostTemplate(names);
        flags.put("data-dir", MemberPaths.DATA_DIR);
        flags.put("listen-peer-urls", MemberAddressing.url(tls.peer(), listen, MemberAddressing.PEER_PORT));
        flags.put("listen-client-urls", MemberAddressing.url(tls.client(), listen, MemberAddressing.CLIENT_PORT));
        // Plain on purpose: probes and Prometheus read it, and it serves no keys.
        flags.put("listen-metrics-urls", MemberAddressing.url(false, listen, MemberPaths.METRICS_PORT));
        flags.put("initial-advertise-peer-urls", MemberAddressing.url(tls.peer(), host, MemberAddressing.PEER_PORT));
        flags.put("advertise-client-urls", MemberAddressing.url(tls.client(), host, MemberAddressing.CLIENT_PORT));
        if (tls.peer()) {
            flags.put("peer-transport-security", transportSecurity(MemberPaths.TLS_PEER_DIR));
        }
        if (tls.client()) {
            flags.put("client-transport-security", transportSecurity(MemberPaths.TLS_SERVER_DIR));
        }
        // Stable across delete-and-recreate, so that retained volumes still match their cluster.
        flags.put("initial-cluster-token", names.clusterToken());
        flags.put("quota-backend-bytes", t.getQuotaBackendBytes());
        flags.put("auto-compaction-mode", t.getAutoCompactionMode().name());
        flags.put("auto-compaction-retention", t.getAutoCompactionRetention());
        flags.put("heartbeat-interval", t.getHeartbeatIntervalMillis());
        flags.put("election-timeout", t.getElectionTimeoutMillis());
        if (t.getSnapshotCount() != null) {
            flags.put("snapshot-count", t.getSnapshotCount());
        }
        flags.put("logger", "zap");
        flags.put("log-outputs", List.of("stderr"));
        if (t.getExtraArgs() != null) {
            t.getExtraArgs().forEach((key, value) -> flags.putIfAbsent(key, EtcdConfigValue.of(key, value)));
        }
        return flags;
    }

    /** Mutual TLS: a peer or client must present a certificate signed by the CA in the same Secret. */
    private static Map<String, Object> transportSecurity(String dir) {
        Map<String, Object> security = new TreeMap<>();
        security.put("cert-file", dir + "/" + TlsLayout.CERT_FILE);
        security.put("key-file", dir + "/" + TlsLayout.KEY_FILE);
        security.put("trusted-ca-file", dir + "/" + TlsLayout.CA_FILE);
        security.put("client-cert-auth", true);
        return security;
    }
}
