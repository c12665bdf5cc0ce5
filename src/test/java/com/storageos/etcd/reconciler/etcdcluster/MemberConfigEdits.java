package com.storageos.etcd.reconciler.etcdcluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.storageos.etcd.naming.MemberAddressing;
import com.storageos.etcd.toolcontract.MemberPaths;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The ways {@link LocalMemberRunner} bends a member's etcd configuration to stand in for what a test needs: peers listened
 * for on another port or also on a pod IP, or another cluster's etcd on the member's URLs.
 */
final class MemberConfigEdits {
    private static final ObjectMapper JSON = new ObjectMapper();

    private MemberConfigEdits() {
    }

    /** Rewrites the member's config file so that it listens for peers on 2382 while it still advertises 2380. */
    static void listenOnAnotherPeerPort(Path configFile) throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> config = JSON.readValue(configFile.toFile(), Map.class);
        config.put("listen-peer-urls", config.get("listen-peer-urls").toString()
                .replace(":" + MemberAddressing.PEER_PORT, ":" + (MemberAddressing.PEER_PORT + 2)));
        JSON.writeValue(configFile.toFile(), config);
    }

    /** The member template, listening for peers on {@code ip} too, beside its member URL {@code member}. */
    static String alsoListeningForPeersOn(String template, String member, String ip) {
        String listen = "\"listen-peer-urls\":\"" + member + "\"";
        if (!template.contains(listen)) {
            throw new IllegalStateException("the member template has no " + listen);
        }
        return template.replace(listen, "\"listen-peer-urls\":\"" + member + "," + MemberAddressing.url(false, ip, MemberAddressing.PEER_PORT) + "\"");
    }

    /**
     * Writes, beside the member's data on {@code volume}, the config of an etcd of another cluster on the member's URLs: formed
     * alone on a data dir of its own, under another token. Returns the config file.
     */
    static Path anotherCluster(Path volume, String member) throws IOException {
        Path configFile = volume.resolve("another-cluster.conf.json");
        @SuppressWarnings("unchecked")
        Map<String, Object> config = JSON.readValue(volume.resolve("data").resolve(MemberPaths.CONFIG_FILE_IN_DATA_DIR).toFile(), Map.class);
        config.put("data-dir", volume.resolve("another-cluster").toString());
        config.put("initial-cluster", member + "=" + config.get("initial-advertise-peer-urls"));
        config.put("initial-cluster-state", "new");
        config.put("initial-cluster-token", "another-cluster");
        JSON.writeValue(configFile.toFile(), config);
        return configFile;
    }
}
