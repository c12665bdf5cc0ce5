package com.storageos.etcd.tool.pitr;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.spec.BackupSpec;
import com.storageos.etcd.etcdclient.EtcdAdmin;
import com.storageos.etcd.etcdclient.EtcdAdminFactory;
import com.storageos.etcd.tool.ClientTlsFiles;
import com.storageos.etcd.tool.ClusterRecorder;
import com.storageos.etcd.tool.ToolCommand;
import com.storageos.etcd.tool.backup.BackupCommand;
import com.storageos.etcd.tool.backup.BackupStore;
import com.storageos.etcd.toolcontract.ToolEnv;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@code tool follow [flush-seconds]}: the backup agent, meant for a single-replica Deployment. It follows the cluster's
 * changes into the store {@code spec.backup} names (the same store and credentials as {@code tool backup}) until
 * SIGTERM, on which it writes what it holds before exiting. Chunks are written every second by default, well inside the
 * 5 s issue 31 asks for; the recovery point goes to status.continuousBackup every 5 s ({@link RecoveryPointReporter}).
 */
public final class FollowCommand implements ToolCommand {
    private static final Duration DEFAULT_FLUSH = Duration.ofSeconds(1);

    private final Supplier<KubernetesClient> kubernetes;
    private final EtcdAdminFactory admins;
    private final Clock clock;

    public FollowCommand(Supplier<KubernetesClient> kubernetes, EtcdAdminFactory admins, Clock clock) {
        this.kubernetes = kubernetes;
        this.admins = admins;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "follow";
    }

    @Override
    public int run(List<String> args, Map<String, String> env) throws Exception {
        Duration flush = args.isEmpty() ? DEFAULT_FLUSH : Duration.ofSeconds(Long.parseLong(args.get(0)));
        if (flush.isZero() || flush.compareTo(Duration.ofSeconds(5)) > 0) {
            throw new IllegalArgumentException("flush-seconds must be 1 to 5, was " + flush.toSeconds());
        }
        String namespace = BackupCommand.required(env, ToolEnv.NAMESPACE);
        String name = BackupCommand.required(env, ToolEnv.CLUSTER_NAME);
        ClusterRecorder recorder = new ClusterRecorder(kubernetes.get(), namespace, name, clock);
        EtcdCluster cluster = recorder.get();
        BackupSpec spec = cluster.getSpec().getBackup();
        if (spec == null) {
            throw new IllegalArgumentException("spec.backup is not set");
        }
        List<String> endpoints = Arrays.asList(BackupCommand.required(env, ToolEnv.ENDPOINTS).split(","));
        try (BackupStore store = BackupStore.open(spec.getPvc(), spec.getS3(), env, namespace, name);
             EtcdAdmin admin = admins.connect(endpoints, ClientTlsFiles.read(env))) {
            ChangeFollower follower = new ChangeFollower(store, name, admin, endpoints, ClientTlsFiles.read(env), clock, flush,
                    line -> System.out.println(clock.instant() + " " + line));
            follower.expectCluster(RecoveryPointReporter.recordedClusterId(cluster.getStatus()));
            RecoveryPointReporter reporter = new RecoveryPointReporter(recorder, follower, name, clock);
            ScheduledExecutorService reports = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "recovery-point"));
            reports.scheduleWithFixedDelay(reporter::report, 0, RecoveryPointReporter.EVERY.toMillis(), TimeUnit.MILLISECONDS);
            CountDownLatch done = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                follower.stop();
                try {
                    done.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            try {
                follower.run();
            } finally {
                reports.shutdownNow();
                reporter.report(); // the last chunk written on the way out
                done.countDown();
            }
        }
        return 0;
    }
}
