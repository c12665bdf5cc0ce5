package com.storageos.etcd.etcdclient;

import com.storageos.etcd.toolcontract.MemberPaths;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The member ID an etcd runs as, from the {@code etcd_server_id} gauge of its plain metrics listener. etcd serves that
 * listener from its start, while its client URL answers only once the member has published itself through a quorum: an
 * etcd on data of an earlier cluster (its peers refuse its messages, "cluster ID mismatch") never answers there, but
 * says here which member it is.
 */
public final class MetricsServerId {
    private static final Pattern GAUGE = Pattern.compile("^etcd_server_id\\{server_id=\"([0-9a-f]+)\"} 1$", Pattern.MULTILINE);
    private final HttpClient http;
    private final Duration timeout;

    public MetricsServerId(Duration timeout) {
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /**
     * Asks every member's metrics listener at once, so that members cut off cost one timeout together.
     *
     * @param clientUrls members' client URLs; the metrics listener is on the same host
     * @return the ID each answered with, by client URL; members that did not answer are left out
     */
    public Map<String, Long> read(List<String> clientUrls) {
        Map<String, CompletableFuture<Optional<Long>>> asked = new LinkedHashMap<>();
        for (String url : clientUrls) {
            asked.put(url, ask(url));
        }
        Map<String, Long> ids = new LinkedHashMap<>();
        asked.forEach((url, answer) -> answer.join().ifPresent(id -> ids.put(url, id)));
        return ids;
    }

    private CompletableFuture<Optional<Long>> ask(String clientUrl) {
        try {
            URI client = URI.create(clientUrl);
            URI metrics = new URI("http", null, client.getHost(), MemberPaths.METRICS_PORT, "/metrics", null, null);
            return http.sendAsync(HttpRequest.newBuilder(metrics).timeout(timeout).build(), HttpResponse.BodyHandlers.ofString())
                    .thenApply(r -> r.statusCode() == 200 ? parse(r.body()) : Optional.<Long>empty())
                    .exceptionally(unanswered -> Optional.empty());
        } catch (URISyntaxException | IllegalArgumentException notAUrl) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
    }

    static Optional<Long> parse(String metrics) {
        Matcher m = GAUGE.matcher(metrics);
        return m.find() ? Optional.of(Long.parseUnsignedLong(m.group(1), 16)) : Optional.empty();
    }
}
