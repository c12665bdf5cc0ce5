package com.storageos.etcd.etcdclient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;

/**
 * etcd's {@code GET /version} on a client URL, {@code {"etcdserver":"3.5.30","etcdcluster":"3.5.0"}}: the cluster
 * version is in no gRPC response. A blocking connection rather than the JDK's HttpClient, which keeps a selector
 * thread per client, and this is read on every reconcile of every cluster.
 */
final class VersionEndpoint {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What a member reports before the members agreed on a cluster version (right after a cluster forms). */
    private static final String UNDECIDED = "not_decided";

    private final Duration timeout;
    private final Map<ClientTls, SSLSocketFactory> sockets = new ConcurrentHashMap<>();

    VersionEndpoint(Duration timeout) {
        this.timeout = timeout;
    }

    /**
     * @param tls the client certificate an https URL takes
     * @return etcd's cluster version, empty while the members have not agreed on one
     */
    Optional<String> clusterVersion(String clientUrl, ClientTls tls) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(clientUrl + "/version").toURL().openConnection();
            if (connection instanceof HttpsURLConnection https) {
                https.setSSLSocketFactory(sockets.computeIfAbsent(tls, VersionEndpoint::socketFactory));
            }
            connection.setConnectTimeout((int) timeout.toMillis());
            connection.setReadTimeout((int) timeout.toMillis());
            try (InputStream body = connection.getInputStream()) {
                JsonNode versions = JSON.readTree(body);
                String cluster = versions.path("etcdcluster").asText("");
                return cluster.isEmpty() || cluster.equals(UNDECIDED) ? Optional.empty() : Optional.of(cluster);
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new EtcdAdminException(EtcdAdminException.Kind.UNAVAILABLE, clientUrl + "/version: " + e.getMessage(), e);
        }
    }

    private static SSLSocketFactory socketFactory(ClientTls tls) {
        try {
            return JdkTls.verifying(tls).getSocketFactory();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("unusable client certificate: " + e.getMessage(), e);
        }
    }
}
