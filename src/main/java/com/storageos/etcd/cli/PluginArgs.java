package com.storageos.etcd.cli;

import com.storageos.etcd.toolcontract.RestoreTarget;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The command line of {@code kubectl etcd}, parsed without I/O. kubectl passes a plugin its arguments untouched, so
 * the plugin reads kubectl's own global flags itself: {@code --kubeconfig}, {@code --context}, {@code -n/--namespace}.
 *
 * @param command  the sub-command, or "help"
 * @param cluster  the EtcdCluster's name; empty: the only one in the namespace
 * @param from     restore: the target in the annotation's syntax: "latest", a backup's name, "revision:N", an RFC 3339 time
 * @param plan     approve-migration: the plan ID to approve; empty: the one status.migration proposes
 * @param force    restore, recover: go ahead even while quorum holds
 * @param follow   follow the request to its end (backup waits only with --wait; the others always, unless --no-wait)
 */
public record PluginArgs(String command, Optional<String> cluster, Optional<String> namespace, Optional<String> kubeconfig,
                         Optional<String> context, Optional<String> from, Optional<String> plan, boolean force, boolean follow,
                         Duration timeout) {
    public static final Set<String> COMMANDS = Set.of("status", "backup", "backups", "restore", "recover", "approve-migration",
            "rotate-ca", "pause", "resume", "help");
    static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(15);

    /** Bad input on the command line: exit code {@link ExitCode#USAGE} with this message and the usage. */
    public static final class UsageException extends Exception {
        public UsageException(String message) {
            super(message);
        }
    }

    public static PluginArgs parse(List<String> args) throws UsageException {
        String command = null;
        String cluster = null;
        String namespace = null;
        String kubeconfig = null;
        String context = null;
        String from = null;
        String revision = null;
        String time = null;
        String plan = null;
        boolean force = false;
        Boolean wait = null;
        Duration timeout = DEFAULT_TIMEOUT;
        args = split(args);
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "-h", "--help" -> command = "help";
                case "-n", "--namespace" -> namespace = value(args, ++i, arg);
                case "--kubeconfig" -> kubeconfig = value(args, ++i, arg);
                case "--context" -> context = value(args, ++i, arg);
                case "--from" -> from = value(args, ++i, arg);
                case "--revision" -> revision = value(args, ++i, arg);
                case "--time" -> time = value(args, ++i, arg);
                case "--plan" -> plan = value(args, ++i, arg);
                case "--timeout" -> timeout = duration(value(args, ++i, arg));
                case "--force" -> force = true;
                case "--wait" -> wait = true;
                case "--no-wait" -> wait = false;
                default -> {
                    if (arg.startsWith("-")) {
                        throw new UsageException("unknown flag " + arg);
                    }
                    if (command == null) {
                        command = arg;
                    } else if (cluster == null && !command.equals("help")) {
                        cluster = arg;
                    } else if (!command.equals("help")) {
                        throw new UsageException("unexpected argument " + arg);
                    }
                }
            }
        }
        if (command == null) {
            throw new UsageException("no command given");
        }
        if (!COMMANDS.contains(command)) {
            throw new UsageException("unknown command " + command);
        }
        from = target(command, from, revision, time);
        if (force && !command.equals("restore") && !command.equals("recover")) {
            throw new UsageException("--force applies only to restore and recover");
        }
        boolean follow = wait != null ? wait : !command.equals("backup");
        return new PluginArgs(command, Optional.ofNullable(cluster), Optional.ofNullable(namespace), Optional.ofNullable(kubeconfig),
                Optional.ofNullable(context), Optional.ofNullable(from), Optional.ofNullable(plan), force, follow, timeout);
    }

    /** restore's one target, from --from, --revision or --time, read as the operator will read it. */
    private static String target(String command, String from, String revision, String time) throws UsageException {
        long given = Stream.of(from, revision, time).filter(Objects::nonNull).count();
        if (given > 0 && !command.equals("restore")) {
            throw new UsageException("--from, --revision and --time apply only to restore");
        }
        if (!command.equals("restore")) {
            return null;
        }
        if (given != 1) {
            throw new UsageException("restore needs one of --from latest, --from <backup name>, --revision N or --time <RFC 3339 time>");
        }
        String target = revision != null ? "revision:" + revision : time != null ? time : from;
        try {
            RestoreTarget.parse(target);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        return target;
    }

    /** {@code --flag=value} as {@code --flag value}, as kubectl accepts both. */
    private static List<String> split(List<String> args) {
        List<String> out = new ArrayList<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                out.add(arg.substring(0, eq));
                out.add(arg.substring(eq + 1));
            } else {
                out.add(arg);
            }
        }
        return out;
    }

    private static String value(List<String> args, int i, String flag) throws UsageException {
        if (i >= args.size() || args.get(i).isEmpty() || args.get(i).startsWith("-")) {
            throw new UsageException(flag + " needs a value");
        }
        return args.get(i);
    }

    /** kubectl's duration form: 90s, 10m, 1h (a plain number is seconds). */
    static Duration duration(String text) throws UsageException {
        try {
            String t = text.toLowerCase(Locale.ROOT);
            return t.chars().allMatch(Character::isDigit) ? Duration.ofSeconds(Long.parseLong(t)) : Duration.parse("PT" + t);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new UsageException("--timeout " + text + ": not a duration such as 90s, 10m or 1h");
        }
    }
}
