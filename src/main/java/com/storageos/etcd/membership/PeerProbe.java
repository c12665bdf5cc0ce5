package com.storageos.etcd.membership;

/**
 * What one member's peer probes found about one peer (etcd's own probes of the peer's advertised peer URL).
 *
 * @param observations how often the member recorded a round trip to the peer (about every 5 s while it fails, every 30 s
 *                     once it succeeds, for each of etcd's two probes)
 * @param reached      at least one probe got through
 */
public record PeerProbe(long observations, boolean reached) {
}
