package com.storageos.etcd.reconciler.etcdcluster.members;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.etcdclient.ClientCredentials;
import com.storageos.etcd.etcdclient.ClientTls;
import com.storageos.etcd.membership.MigrationInput;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/** The endpoints the operator reaches one cluster through, and the client certificate each of them gets. */
public record ClusterConnection(List<String> endpoints, ClientCredentials credentials) {

    /**
     * @param own      the cluster's own client certificate; null when its client port is plain
     * @param external spec.bootstrap.join.tls's certificate, checked; null when the external cluster is plain
     */
    public static ClusterConnection of(EtcdCluster cluster, MemberUrls urls, ClientTls own, Optional<MigrationInput> migration, ClientTls external) {
        int known = Math.max(cluster.getStatus() == null ? 0 : cluster.getStatus().getMembers().size(), cluster.getSpec().getReplicas());
        List<String> endpoints = new ArrayList<>(urls.clientUrls(known));
        if (migration.isEmpty() || migration.get().completed()) {
            return new ClusterConnection(endpoints, ClientCredentials.of(own));
        }
        // The external members answer for the cluster until the migration removed them, over their own CA's TLS.
        endpoints.addAll(MigrationInputs.externalEndpoints(cluster));
        return new ClusterConnection(endpoints, external == null ? ClientCredentials.of(own)
                : new ClientCredentials(own, external, new HashSet<>(urls.clientUrls(MemberUrls.MAX_ORDINALS))));
    }
}
