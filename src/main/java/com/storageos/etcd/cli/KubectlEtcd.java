package com.storageos.etcd.cli;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.status.MigrationStatus;
import com.storageos.etcd.desired.BackupRequest;
import com.storageos.etcd.membership.RecoveryRequest;
import com.storageos.etcd.naming.RequestAnnotations;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * {@code kubectl etcd}: a kubectl plugin (an executable named kubectl-etcd on the PATH) that writes the operator's
 * request annotations and follows each request in the status to its end. A plain main, no Quarkus: it starts in well
 * under a second and its only I/O is {@link ClusterRequests}.
 */
public final class KubectlEtcd {
    private final PrintStream out;
    private final PrintStream err;
    private final Clock clock;

    KubectlEtcd(PrintStream out, PrintStream err, Clock clock) {
        this.out = out;
        this.err = err;
        this.clock = clock;
    }

    public static void main(String[] args) {
        System.setProperty("slf4j.internal.verbosity", "ERROR"); // no logging backend here: no warning about it either
        System.exit(new KubectlEtcd(System.out, System.err, Clock.systemUTC()).run(List.of(args)));
    }

    int run(List<String> argv) {
        PluginArgs args;
        try {
            args = PluginArgs.parse(argv);
        } catch (PluginArgs.UsageException e) {
            err.println("error: " + e.getMessage());
            err.println("Run 'kubectl etcd --help' for usage.");
            return ExitCode.USAGE;
        }
        if (args.command().equals("help")) {
            out.print(Usage.TEXT);
            return ExitCode.OK;
        }
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config(args)).build()) {
            String namespace = args.namespace().orElseGet(() -> Optional.ofNullable(client.getNamespace()).orElse("default"));
            return command(args, ClusterRequests.find(client, namespace, args.cluster()));
        } catch (PluginException e) {
            err.println("error: " + e.getMessage());
            return e.exitCode();
        } catch (KubernetesClientException e) {
            err.println("error: " + Optional.ofNullable(e.getStatus()).map(s -> s.getMessage())
                    .or(() -> Optional.ofNullable(e.getCause()).map(c -> e.getMessage() + " " + c.getMessage())).orElse(e.getMessage()));
            return ExitCode.API;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCode.FAILED;
        }
    }

    /** kubectl's own precedence: --kubeconfig, else KUBECONFIG, else ~/.kube/config; --context, else the current one. */
    static Config config(PluginArgs args) throws PluginException {
        if (args.kubeconfig().isPresent()) {
            if (!Files.isReadable(Path.of(args.kubeconfig().get()))) {
                throw new PluginException(ExitCode.API, "kubeconfig " + args.kubeconfig().get() + " cannot be read");
            }
            System.setProperty(Config.KUBERNETES_KUBECONFIG_FILE, args.kubeconfig().get());
        }
        Config config = Config.autoConfigure(args.context().orElse(null));
        if (args.context().isPresent() && !args.context().get().equals(Optional.ofNullable(config.getCurrentContext())
                .map(c -> c.getName()).orElse(null))) {
            throw new PluginException(ExitCode.API, "context " + args.context().get() + " is not in the kubeconfig");
        }
        config.setRequestRetryBackoffLimit(1); // a person is waiting: say what is wrong rather than retry for half a minute
        return config;
    }

    private int command(PluginArgs args, ClusterRequests cluster) throws PluginException, InterruptedException {
        Follower follower = new Follower(out, clock);
        String stamp = String.valueOf(clock.instant().getEpochSecond()); // as $(date +%s): each value is served once
        switch (args.command()) {
            case "status" -> StatusView.lines(cluster.cluster(), clock.instant()).forEach(out::println);
            case "backups" -> BackupsView.lines(cluster.cluster(), cluster.backupJobs(), clock.instant()).forEach(out::println);
            case "backup" -> {
                String job = BackupRequest.jobName(cluster.names(), stamp);
                request(cluster, RequestAnnotations.BACKUP_NOW, stamp);
                if (!args.follow()) {
                    out.println("backup Job " + job + " will run; follow it with kubectl etcd backups");
                    return ExitCode.OK;
                }
                return follower.follow(() -> RequestProgress.backup(cluster.cluster(), stamp, cluster.job(job)), args.timeout());
            }
            case "restore" -> {
                String value = (args.force() ? RecoveryRequest.FORCE_PREFIX : "") + args.from().orElseThrow()
                        + RecoveryRequest.REPEAT_SEPARATOR + stamp;
                return followed(args, cluster, RequestAnnotations.RESTORE_FROM_BACKUP, value, () -> RequestProgress.recovery(cluster.cluster(), value));
            }
            case "recover" -> {
                String value = (args.force() ? RecoveryRequest.FORCE_PREFIX : "") + stamp;
                return followed(args, cluster, RequestAnnotations.RECOVER_FROM_SURVIVOR, value, () -> RequestProgress.recovery(cluster.cluster(), value));
            }
            case "rotate-ca" -> {
                return followed(args, cluster, RequestAnnotations.ROTATE_CA, stamp, () -> RequestProgress.caRotation(cluster.cluster(), stamp));
            }
            case "approve-migration" -> {
                String plan = args.plan().orElse(proposedPlan(cluster.cluster()));
                return followed(args, cluster, RequestAnnotations.APPROVE_MIGRATION, plan, () -> RequestProgress.migration(cluster.cluster(), plan));
            }
            case "pause" -> {
                return followed(args, cluster, RequestAnnotations.PAUSED, "true", () -> RequestProgress.pause(cluster.cluster(), true));
            }
            case "resume" -> {
                return followed(args, cluster, RequestAnnotations.PAUSED, null, () -> RequestProgress.pause(cluster.cluster(), false));
            }
            default -> throw new IllegalStateException("PluginArgs lets no other command through: " + args.command());
        }
        return ExitCode.OK;
    }

    private int followed(PluginArgs args, ClusterRequests cluster, String annotation, String value, Follower.Check check)
            throws PluginException, InterruptedException {
        request(cluster, annotation, value);
        return args.follow() ? new Follower(out, clock).follow(check, args.timeout()) : ExitCode.OK;
    }

    private void request(ClusterRequests cluster, String annotation, String value) throws PluginException {
        cluster.annotate(annotation, value);
        out.println(value == null ? "removed " + annotation : "requested " + annotation + "=" + value);
    }

    private static String proposedPlan(EtcdCluster cluster) throws PluginException {
        return Optional.ofNullable(cluster.getStatus()).map(s -> s.getMigration()).map(MigrationStatus::getPlanId)
                .orElseThrow(() -> new PluginException(ExitCode.FAILED, "no migration plan proposed (status.migration): nothing to approve"));
    }
}
