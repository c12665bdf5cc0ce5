package com.storageos.etcd.reconciler.etcdcluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.storageos.etcd.api.v1alpha1.spec.EtcdTuningSpec;
import com.storageos.etcd.api.v1alpha1.status.EtcdClusterStatus;
import com.storageos.etcd.desired.EtcdFlags;
import com.storageos.etcd.desired.TlsLayout;
import com.storageos.etcd.membership.PodState;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.naming.MemberAddressing;
import com.storageos.etcd.testing.EtcdBinaries;
import com.storageos.etcd.tool.bootstrap.BootstrapCommand;
import com.storageos.etcd.toolcontract.BootstrapReport;
import com.storageos.etcd.toolcontract.BootstrapToolEnv;
import com.storageos.etcd.toolcontract.MemberPaths;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Plays the StatefulSet controller and the kubelet for one test cluster: keeps one local etcd
 * process per ordinal below the replica count, each started the way a member pod starts (the real
 * bootstrap tool writes the config file, then {@code etcd --config-file}), restarted when it dies.
 */
final class LocalMemberRunner implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(300)).build();

    private final ClusterNames names;
    private final MemberAddressing addressing;
    private final Path root;
    private final Supplier<EtcdClusterStatus> status;
    private final String template;
    private final Map<Integer, Process> processes = new ConcurrentHashMap<>();
    private final Map<Integer, String> refusals = new ConcurrentHashMap<>();
    private final Set<Integer> peersListenElsewhere = ConcurrentHashMap.newKeySet();
    /** Each start's pod IP, a loopback address of its own, when the "pods" have IPs of their own ({@link #withPodIps}). */
    private final Map<Integer, String> podIps = new ConcurrentHashMap<>();
    private int podIpBase = -1;
    private int starts;

    LocalMemberRunner(ClusterNames names, MemberAddressing addressing, Path root, Supplier<EtcdClusterStatus> status) throws IOException {
        this(names, addressing, root, status, null);
    }

    /**
     * @param peerTlsDir what a member pod's peer Secret volume holds (ca.crt, tls.crt, tls.key), read from here instead of
     *                   the pod's mount path; null for plain peers
     */
    LocalMemberRunner(ClusterNames names, MemberAddressing addressing, Path root, Supplier<EtcdClusterStatus> status, Path peerTlsDir)
            throws IOException {
        this.names = names;
        this.addressing = addressing;
        this.root = root;
        this.status = status;
        EtcdTuningSpec tuning = new EtcdTuningSpec();
        tuning.setHeartbeatIntervalMillis(50);
        tuning.setElectionTimeoutMillis(500);
        tuning.setExtraArgs(Map.of("log-level", "warn"));
        TlsLayout tls = peerTlsDir == null ? TlsLayout.NONE : new TlsLayout("peer-secret", null, null, false, false);
        String rendered = new ObjectMapper().writeValueAsString(EtcdFlags.template(names, tuning, addressing, tls));
        this.template = peerTlsDir == null ? rendered : rendered.replace(MemberPaths.TLS_PEER_DIR, peerTlsDir.toString());
    }

    /**
     * Gives every "pod" an IP, {@code 127.<a>.<b>.<n>} with a fresh {@code n} (120 to 249) for every pod (a killed one comes back as
     * a new pod, with a new IP; a bootstrap that refused and is retried keeps it), that its etcd listens on besides its member
     * address, as a pod's etcd listens on 0.0.0.0.
     */
    LocalMemberRunner withPodIps() {
        // Above the member addresses .10 to .115 ("1" + ordinal), so that no pod IP is another ordinal's member address.
        podIpBase = 120;
        return this;
    }

    /** The IP of the pod's current start; empty when it has none. */
    String podIp(int ordinal) {
        return podIps.getOrDefault(ordinal, "");
    }

    /** One pass of the "kubelet": start missing members, stop the ones beyond {@code replicas}. */
    void sync(int replicas) throws IOException {
        for (int ordinal : processes.keySet()) {
            if (ordinal >= replicas) {
                stop(ordinal);
            }
        }
        for (int ordinal = 0; ordinal < replicas; ordinal++) {
            Process p = processes.get(ordinal);
            if (p == null || !p.isAlive()) {
                start(ordinal);
            }
        }
    }

    private void start(int ordinal) throws IOException {
        Path volume = volume(ordinal);
        Files.createDirectories(volume);
        Map<String, String> env = new HashMap<>();
        env.put(BootstrapToolEnv.CONFIG_TEMPLATE, podIpBase < 0 ? template : listeningOnItsPodIp(ordinal));
        env.put("ETCD_DATA_DIR", volume.resolve("data").toString());
        env.put("TERMINATION_MESSAGE_PATH", volume.resolve("termination-log").toString());
        int exit = new BootstrapCommand().bootstrap(names.member(ordinal), ordinal, status.get(), env);
        if (exit != 0) {
            refusals.put(ordinal, Files.readString(volume.resolve("termination-log")));
            processes.remove(ordinal);
            return;
        }
        refusals.remove(ordinal);
        if (peersListenElsewhere.contains(ordinal)) {
            MemberConfigEdits.listenOnAnotherPeerPort(volume.resolve("data").resolve(MemberPaths.CONFIG_FILE_IN_DATA_DIR));
        }
        processes.put(ordinal, new ProcessBuilder(EtcdBinaries.tested().etcd(), "--config-file=" + volume.resolve("data").resolve(MemberPaths.CONFIG_FILE_IN_DATA_DIR))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(volume.resolve("etcd.log").toFile())).start());
    }

    /**
     * The member at this ordinal listens for peers on port 2382 (2381 serves its metrics) while it advertises (and was added with) 2380, where nothing
     * listens: every connection to its peer URL is refused, while it still connects out to the others' peer URLs. It stands in
     * for external etcd nodes that cannot route to a pod IP or resolve the pod's DNS name, while the pods reach the nodes.
     */
    void listenForPeersElsewhere(int ordinal) {
        peersListenElsewhere.add(ordinal);
    }

    void listenForPeersWhereAdvertised(int ordinal) {
        peersListenElsewhere.remove(ordinal);
    }

    private String listeningOnItsPodIp(int ordinal) {
        String member = MemberAddressing.url(false, addressing.listenHostTemplate(names), MemberAddressing.PEER_PORT);
        String ip = podIps.computeIfAbsent(ordinal, o -> addressing.memberHost(names, o).replaceAll("\\.[0-9]+$", "") + "."
                + (podIpBase + (starts++ % 13) * 10 + o));
        return MemberConfigEdits.alsoListeningForPeersOn(template, member, ip);
    }

    /**
     * An etcd of another cluster, formed alone on a data dir of its own, takes over this member's URLs (as a volume
     * restored from elsewhere would): it lists only itself, under another member and cluster ID. Its peer messages carry
     * that other cluster ID, so the real members refuse them and it refuses theirs.
     */
    void replaceWithAnotherCluster(int ordinal) throws IOException {
        kill(ordinal);
        Path volume = volume(ordinal);
        Path configFile = MemberConfigEdits.anotherCluster(volume, names.member(ordinal));
        processes.put(ordinal, new ProcessBuilder(EtcdBinaries.tested().etcd(), "--config-file=" + configFile).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(volume.resolve("etcd.log").toFile())).start());
    }

    void kill(int ordinal) {
        podIps.remove(ordinal);
        Process p = processes.remove(ordinal);
        if (p != null) {
            p.destroyForcibly();
            waitFor(p);
        }
    }

    /** The volume is lost: the member comes back with an empty data dir. */
    void wipe(int ordinal) throws IOException {
        kill(ordinal);
        deleteTree(volume(ordinal));
    }

    void deleteVolume(int ordinal) throws IOException {
        deleteTree(volume(ordinal));
    }

    PodState pod(int ordinal) {
        boolean alive = processes.containsKey(ordinal) && processes.get(ordinal).isAlive();
        return new PodState(ordinal, alive && healthy(ordinal), false, BootstrapReport.isDataLoss(refusals.get(ordinal)), true, false)
                .withIp(podIp(ordinal));
    }

    boolean exists(int ordinal) {
        return processes.containsKey(ordinal) || refusals.containsKey(ordinal);
    }

    private boolean healthy(int ordinal) {
        try {
            var request = HttpRequest.newBuilder(URI.create(addressing.clientUrl(names, ordinal, false) + "/health"))
                    .timeout(Duration.ofMillis(500)).build();
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body().contains("true");
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private void stop(int ordinal) {
        podIps.remove(ordinal);
        Process p = processes.remove(ordinal);
        if (p != null) {
            p.destroy();
            waitFor(p);
        }
        refusals.remove(ordinal);
    }

    private Path volume(int ordinal) {
        return root.resolve(names.member(ordinal));
    }

    private static void waitFor(Process p) {
        try {
            p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Override
    public void close() {
        processes.keySet().forEach(this::kill);
    }
}
