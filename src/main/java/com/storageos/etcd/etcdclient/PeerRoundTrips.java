package com.storageos.etcd.etcdclient;

import java.util.Map;
import java.util.Optional;

/**
 * What one etcd member's own peer probes found, read from its {@code /metrics}. Every member probes each peer's
 * advertised peer URL every few seconds and records the smoothed round trip in the histogram
 * {@code etcd_network_peer_round_trip_time_seconds{To="<peer id hex>"}}. On etcd 3.4.23 (checked on two local
 * processes) the histogram is observed every 5 s even while the peer cannot be reached, with a round trip of 0:
 * the count alone says nothing, a positive sum says that at least one probe got through.
 */
public interface PeerRoundTrips {
    /** @param observations how often the member recorded a round trip to that peer; @param secondsSum their sum */
    record Probed(long observations, double secondsSum) {
        public boolean reachedOnce() {
            return secondsSum > 0;
        }
    }

    /**
     * @param tls the client certificate an https URL takes; null for none
     * @return by peer ID, or empty when the member's metrics could not be read
     */
    Optional<Map<Long, Probed>> read(String clientUrl, ClientTls tls);
}
