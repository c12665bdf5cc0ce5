package com.storageos.etcd.tool.bootstrap;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.spec.RestoreSpec;
import com.storageos.etcd.api.v1alpha1.status.EtcdClusterStatus;
import com.storageos.etcd.api.v1alpha1.status.MemberStatus;
import com.storageos.etcd.api.v1alpha1.status.PendingChange;
import com.storageos.etcd.api.v1alpha1.status.RecoveryStatus;
import com.storageos.etcd.desired.RestoreSource;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.tool.ToolCommand;
import com.storageos.etcd.toolcontract.BootstrapReport;
import com.storageos.etcd.toolcontract.BootstrapToolEnv;
import com.storageos.etcd.toolcontract.MemberPaths;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * {@code tool bootstrap}: the member pod's init container. Reads its EtcdCluster, decides with
 * {@link BootstrapPlanner}, writes etcd's config file into the data dir, or refuses with a termination message.
 */
public class BootstrapCommand implements ToolCommand {
    static final String DEFAULT_TERMINATION_LOG = "/dev/termination-log";
    private final Supplier<KubernetesClient> clients;
    /** The termination message this run wrote so far: the kept-aside line goes after it. */
    private String reported = "";

    /** In the pod: the client from the mounted ServiceAccount token. */
    public BootstrapCommand() {
        this(() -> new KubernetesClientBuilder().build());
    }

    /** @param clients the identity the tool reads its EtcdCluster as (in the pod, its ServiceAccount) */
    public BootstrapCommand(Supplier<KubernetesClient> clients) {
        this.clients = clients;
    }

    @Override
    public String name() {
        return "bootstrap";
    }

    @Override
    public int run(List<String> args, Map<String, String> env) throws Exception {
        String pod = required(env, BootstrapToolEnv.POD_NAME);
        ClusterNames names = new ClusterNames(required(env, BootstrapToolEnv.CLUSTER_NAME), required(env, BootstrapToolEnv.POD_NAMESPACE));
        int ordinal = names.ordinalOf(pod).orElseThrow(() -> new IllegalArgumentException(pod + " is not a member pod of " + names.cluster()));
        EtcdClusterStatus status;
        Optional<Restore> restore;
        Optional<String> clusterToken;
        try (KubernetesClient client = clients.get()) {
            EtcdCluster cluster = client.resources(EtcdCluster.class).inNamespace(names.namespace()).withName(names.cluster()).get();
            if (cluster == null) {
                return refuse(env, "ClusterGone: EtcdCluster " + names.cluster() + " does not exist");
            }
            status = Optional.ofNullable(cluster.getStatus()).orElseGet(EtcdClusterStatus::new);
            restore = RestoreSource.toSeed(cluster).map(r -> new Restore(r, cluster.getSpec().getVersion(), seedMarker(cluster)));
            clusterToken = incarnationToken(cluster, names);
        }
        return bootstrap(pod, ordinal, status, restore, clusterToken, env);
    }

    public int bootstrap(String pod, int ordinal, EtcdClusterStatus status, Map<String, String> env) throws IOException {
        return bootstrap(pod, ordinal, status, Optional.empty(), Optional.empty(), env);
    }

    /**
     * The initial-cluster-token a cluster formed now gets, one per incarnation, so that no two clusters of this name, nor
     * a cluster and its restore, share a cluster ID or member 0's ID (etcd derives both from the token and the peer URL):
     * a restore in place takes the token its journal recorded in status.recovery, a new cluster this EtcdCluster's UID.
     * Empty (the template's namespace/name) for a restore recorded by an operator that recorded none.
     */
    private static Optional<String> incarnationToken(EtcdCluster cluster, ClusterNames names) {
        if (RestoreSource.inPlace(cluster)) {
            return Optional.ofNullable(cluster.getStatus()).map(EtcdClusterStatus::getRecovery).map(RecoveryStatus::getClusterToken);
        }
        return Optional.of(names.clusterToken(cluster.getMetadata().getUid()));
    }

    /**
     * A restore asked for (spec.bootstrap.restore, or a restore-from-backup recovery), the etcd version that decides
     * which program lays it out, and the marker the restored data gets.
     */
    public record Restore(RestoreSpec spec, String etcdVersion, String marker) { }

    /**
     * Restored data is done for the request it served: a recovery's value, or, for spec.bootstrap.restore, this
     * EtcdCluster's UID (data an earlier cluster of the same name restored is not this one's).
     */
    private static String seedMarker(EtcdCluster cluster) {
        return RestoreSource.inPlace(cluster)
                ? "restored-for " + Optional.ofNullable(cluster.getStatus()).map(EtcdClusterStatus::getRecovery).map(r -> r.getRequest()).orElse("")
                : "restored-into " + cluster.getMetadata().getUid();
    }

    /** Decides from an already-read cluster and writes the config file; the exit code of the init container. */
    public int bootstrap(String pod, int ordinal, EtcdClusterStatus status, Optional<Restore> restore,
                         Optional<String> clusterToken, Map<String, String> env) throws IOException {
        DataDir data = new DataDir(Path.of(env.getOrDefault("ETCD_DATA_DIR", MemberPaths.DATA_DIR)));
        MemberView view = new MemberView(pod, ordinal, data.hasData(), data.marker(), status.getClusterId() != null,
                startedMembers(status), journal(status.getPendingChange()), data.movedAsideForRecovery(), restore.map(Restore::marker),
                status.getMembers().stream().filter(m -> pod.equals(m.getName())).map(MemberStatus::getId).filter(Objects::nonNull).findFirst(),
                clusterIds(data, status));
        int exit = apply(new BootstrapPlanner().decide(view), view, data, restore, clusterToken, env);
        // Whatever was decided, the operator learns what the volume keeps aside (bounded there), for the status.
        Optional<String> keptAside = new MovedAsideCopies(data.path()).summary();
        if (keptAside.isPresent()) {
            report(env, reported.isEmpty() ? keptAside.get() : reported + "\n" + keptAside.get());
        }
        return exit;
    }

    /** The data's cluster ID, from its WAL, against status.clusterId: the check that fences out an earlier incarnation. */
    private static Optional<MemberView.ClusterIds> clusterIds(DataDir data, EtcdClusterStatus status) throws IOException {
        if (status.getClusterId() == null) {
            return Optional.empty();
        }
        long recorded = Long.parseUnsignedLong(status.getClusterId(), 16);
        return WalIdentity.read(data.path()).map(wal -> new MemberView.ClusterIds(wal.clusterId(), recorded));
    }

    private int apply(BootstrapDecision decision, MemberView view, DataDir data, Optional<Restore> restore,
                      Optional<String> clusterToken, Map<String, String> env) throws IOException {
        String template = required(env, BootstrapToolEnv.CONFIG_TEMPLATE);
        // An earlier attempt's config must not outlive this decision (a restore needs an empty dir).
        data.deleteConfig();
        Map<String, Object> config = MemberConfigFile.render(template, view.name(), view.ordinal(), "", "existing");
        String self = view.name() + "=" + MemberConfigFile.ownPeerUrl(config);
        if (decision instanceof BootstrapDecision.Refuse r) {
            return refuse(env, r.terminationMessage());
        } else if (decision instanceof BootstrapDecision.LeaveForRecovery l) {
            data.moveAsideForRecovery();
            return refuse(env, l.terminationMessage());
        } else if (decision instanceof BootstrapDecision.ForceNewCluster) {
            config = MemberConfigFile.render(template, view.name(), view.ordinal(), self, "existing");
            config.put("force-new-cluster", true);
            // Told to the operator on success too: it restarts the pod without the flag before the cluster grows.
            report(env, BootstrapReport.FORCED_NEW_CLUSTER + " " + view.name() + " starts alone on its own data with --force-new-cluster");
        } else if (decision instanceof BootstrapDecision.SeedFromBackup seed) {
            // Planned in full before the volume is touched: a restore that cannot be served leaves the data where it is.
            try (BackupSeed planned = BackupSeed.plan(restore.orElseThrow(), env)) {
                if (Files.exists(data.path())) {
                    data.moveAsideForRecovery();
                }
                config = MemberConfigFile.render(template, view.name(), view.ordinal(), self, "new");
                config.put("initial-cluster-token", clusterToken.orElse(String.valueOf(config.get("initial-cluster-token"))));
                BootstrapReport.Recovered recovered = seed(planned, view, config, data.path());
                data.writeMarker(seed.marker());
                report(env, (seed.recovery() ? BootstrapReport.RESTORED_FROM_BACKUP + " " + view.name() + " starts alone on backup "
                        + planned.snapshotName() + "\n" : "") + recovered.line());
            } catch (BackupSeed.Refused r) {
                return refuse(env, r.getMessage());
            }
        } else if (decision instanceof BootstrapDecision.RestartRestored) {
            config = MemberConfigFile.render(template, view.name(), view.ordinal(), self, "existing");
            report(env, BootstrapReport.RESTORED_FROM_BACKUP + " " + view.name() + " starts on the backup it restored for this request");
        } else if (decision instanceof BootstrapDecision.NewCluster) {
            config = MemberConfigFile.render(template, view.name(), view.ordinal(), self, "new");
            config.put("initial-cluster-token", clusterToken.orElse(String.valueOf(config.get("initial-cluster-token"))));
            data.writeMarker(BootstrapPlanner.BOOTSTRAP_MARKER);
        } else if (decision instanceof BootstrapDecision.Join j) {
            if (j.wipeStaleData()) {
                data.moveAside();
            }
            config = MemberConfigFile.render(template, view.name(), view.ordinal(), j.initialCluster(), "existing");
            data.writeMarker(j.memberIdHex());
        } else {
            config = MemberConfigFile.render(template, view.name(), view.ordinal(), self, "existing");
        }
        // The tool decided on this data dir; etcd must use the same one. Written last, once the data dir
        // is in its final place (a restore creates it, a stale one is moved aside), and inside it.
        config.put("data-dir", data.path().toString());
        MemberConfigFile.write(data.configFile(), config);
        System.out.println("bootstrap: " + decision + " for " + view.name());
        return 0;
    }

    /** Member 0 of a restored cluster starts on data restored from the backup, under its own name and peer URL. */
    private static BootstrapReport.Recovered seed(BackupSeed planned, MemberView view, Map<String, Object> config, Path dataDir)
            throws IOException {
        if (Files.isDirectory(dataDir)) {
            try (var entries = Files.list(dataDir)) {
                if (entries.findAny().isEmpty()) {
                    Files.delete(dataDir);
                }
            }
        }
        try {
            BootstrapReport.Recovered recovered = planned.restore(view.name(), MemberConfigFile.ownPeerUrl(config),
                    String.valueOf(config.get("initial-cluster-token")), dataDir);
            System.out.println("bootstrap: " + recovered.summary() + "; into " + dataDir);
            return recovered;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while restoring", e);
        }
    }

    private int refuse(Map<String, String> env, String message) {
        System.err.println(message);
        report(env, message);
        return 1;
    }

    /** The termination message, which the kubelet reports whatever the exit code. */
    private void report(Map<String, String> env, String message) {
        reported = message;
        try {
            Files.writeString(Path.of(env.getOrDefault("TERMINATION_MESSAGE_PATH", DEFAULT_TERMINATION_LOG)), message);
        } catch (IOException | RuntimeException e) {
            System.err.println("could not write the termination message: " + e);
        }
    }

    private static Set<String> startedMembers(EtcdClusterStatus status) {
        return status.getMembers().stream().map(MemberStatus::getName).filter(n -> n != null && !n.isEmpty()).collect(Collectors.toSet());
    }

    private static Optional<MemberView.JournalEntry> journal(PendingChange p) {
        return Optional.ofNullable(p).map(c -> new MemberView.JournalEntry(c.getOperation(), c.getPhase(),
                c.getOrdinal() == null ? -1 : c.getOrdinal(), c.getMemberId(), c.getInitialCluster(),
                c.getRetainedOrdinals() == null ? Set.of() : Set.copyOf(c.getRetainedOrdinals())));
    }

    private static String required(Map<String, String> env, String key) {
        String value = env.get(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("environment variable " + key + " is not set");
        }
        return value;
    }
}
