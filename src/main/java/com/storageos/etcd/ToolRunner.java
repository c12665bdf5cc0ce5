package com.storageos.etcd;

import com.storageos.etcd.etcdclient.EtcdAdminFactory;
import com.storageos.etcd.etcdclient.JetcdEtcdAdmin;
import com.storageos.etcd.tool.ToolCommand;
import com.storageos.etcd.tool.backup.BackupCommand;
import com.storageos.etcd.tool.bootstrap.BootstrapCommand;
import com.storageos.etcd.tool.defrag.DefragCommand;
import com.storageos.etcd.tool.pitr.FollowCommand;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Dispatches {@code tool <name>} to its command. It sits beside Main, above tool/: it names every command, and the
 * commands use tool/'s shared parts, so inside tool/ it would close a cycle. Failures print one clear line and exit
 * non-zero.
 */
public final class ToolRunner {
    static List<ToolCommand> commands() {
        return List.of(new BootstrapCommand(),
                new BackupCommand(() -> new KubernetesClientBuilder().build(), bulkAdmins(), Clock.systemUTC()),
                new DefragCommand(() -> new KubernetesClientBuilder().build(), bulkAdmins(), Clock.systemUTC()),
                new FollowCommand(() -> new KubernetesClientBuilder().build(), bulkAdmins(), Clock.systemUTC()));
    }

    /** Snapshots and defrags scale with the db (up to the 8 GiB quota), so they get a long deadline; the tools bound them further. */
    private static EtcdAdminFactory bulkAdmins() {
        return (urls, tls) -> new JetcdEtcdAdmin(urls, Duration.ofSeconds(5), Duration.ofMinutes(30), tls);
    }

    private ToolRunner() {
    }

    public static int run(List<String> args, Map<String, String> env) {
        if (args.isEmpty()) {
            System.err.println("usage: tool <" + String.join("|", commands().stream().map(ToolCommand::name).toList()) + "> [args]");
            return 2;
        }
        Optional<ToolCommand> command = commands().stream().filter(c -> c.name().equals(args.get(0))).findFirst();
        if (command.isEmpty()) {
            System.err.println("unknown tool '" + args.get(0) + "'");
            return 2;
        }
        try {
            return command.get().run(args.subList(1, args.size()), env);
        } catch (Exception e) {
            System.err.println("tool " + args.get(0) + " failed: " + e);
            return 1;
        }
    }
}
