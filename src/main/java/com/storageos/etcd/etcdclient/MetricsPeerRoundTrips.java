package com.storageos.etcd.etcdclient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@link PeerRoundTrips} from the {@code /metrics} that etcd serves on its client URL: over https with the client
 * certificate that URL takes (a member with client-cert-auth asks for one on /metrics too), plain otherwise.
 */
public final class MetricsPeerRoundTrips implements PeerRoundTrips {
    private static final Pattern LINE = Pattern.compile(
            "^etcd_network_peer_round_trip_time_seconds_(count|sum)\\{To=\"([0-9a-f]+)\"} (\\S+)$", Pattern.MULTILINE);
    private final HttpClient plain;
    private final Duration timeout;
    /** One client per certificate: a migration reads with one or two of them for minutes, then never again. */
    private final Map<ClientTls, HttpClient> secure = new ConcurrentHashMap<>();

    public MetricsPeerRoundTrips(Duration timeout) {
        this.timeout = timeout;
        this.plain = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public Optional<Map<Long, Probed>> read(String clientUrl, ClientTls tls) {
        boolean https = clientUrl.startsWith("https://");
        if (https && tls == null) {
            return Optional.empty();
        }
        String body;
        try {
            HttpClient http = https ? secure.computeIfAbsent(tls, this::secureClient) : plain;
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(clientUrl + "/metrics")).timeout(timeout).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return Optional.empty();
            }
            body = response.body();
        } catch (IOException | IllegalArgumentException | UncheckedIOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        return Optional.of(parse(body));
    }

    private HttpClient secureClient(ClientTls tls) {
        try {
            return HttpClient.newBuilder().connectTimeout(timeout).sslContext(JdkTls.verifying(tls)).build();
        } catch (GeneralSecurityException | IOException e) {
            throw new UncheckedIOException(new IOException("unusable client certificate for /metrics", e));
        }
    }

    static Map<Long, Probed> parse(String metrics) {
        Map<Long, Long> counts = new HashMap<>();
        Map<Long, Double> sums = new HashMap<>();
        Matcher m = LINE.matcher(metrics);
        while (m.find()) {
            long peer = Long.parseUnsignedLong(m.group(2), 16);
            double value = Double.parseDouble(m.group(3));
            if (m.group(1).equals("count")) {
                counts.put(peer, (long) value);
            } else {
                sums.put(peer, value);
            }
        }
        Map<Long, Probed> probed = new HashMap<>();
        counts.forEach((peer, count) -> probed.put(peer, new Probed(count, sums.getOrDefault(peer, 0.0))));
        return probed;
    }
}
