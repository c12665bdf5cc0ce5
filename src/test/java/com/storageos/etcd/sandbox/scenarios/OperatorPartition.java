package com.storageos.etcd.sandbox.scenarios;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A network partition between the operator and chosen members, and nobody else: the members still reach each other,
 * and the kubelet's probes and a writer in the test JVM still reach them all. The operator runs in a cgroup (v2) of its
 * own, and iptables drops what its sockets send to those members' addresses (the {@code cgroup --path} match, on
 * OUTPUT, where all loopback traffic is seen). Every rule carries this partition's own comment, so that cleanup
 * removes exactly those rules. Needs root and iptables with the cgroup match.
 */
final class OperatorPartition implements AutoCloseable {
    private final Path cgroupDir;
    private final String cgroupPath;
    private final String comment;

    private OperatorPartition(Path cgroupDir, String cgroupPath, String comment) {
        this.cgroupDir = cgroupDir;
        this.cgroupPath = cgroupPath;
        this.comment = comment;
    }

    static OperatorPartition create() throws IOException {
        Path root = cgroup2Mount().orElseThrow(() -> new IllegalStateException("no cgroup2 hierarchy is mounted (see /proc/self/mountinfo):"
                + " the partition test puts the operator in a cgroup of its own for iptables' cgroup match"));
        String name = "etcd-operator-partition-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        Path dir = Files.createDirectory(root.resolve(name));
        return new OperatorPartition(dir, "/" + name, name);
    }

    /** The command an operator replica starts through: it joins the cgroup, then execs the JVM. */
    List<String> launcher() {
        return List.of("sh", "-c", "echo $$ > '" + cgroupDir.resolve("cgroup.procs") + "' && exec \"$@\"", "sh");
    }

    /** Drops every packet the operator sends to {@code host}: its calls hang until their deadlines, as across a real partition. */
    void cut(String host) {
        iptables("-A", "OUTPUT", "-d", host, "-m", "cgroup", "--path", cgroupPath, "-m", "comment", "--comment", comment, "-j", "DROP");
    }

    /** Removes this partition's rules, and only those. */
    void heal() {
        for (String rule : iptables("-S", "OUTPUT").lines().filter(l -> l.startsWith("-A ") && l.contains(" " + comment + " ")).toList()) {
            // iptables -S quotes the cgroup path; neither it nor the comment has a space.
            List<String> delete = new ArrayList<>(Arrays.asList(rule.replace("\"", "").split(" ")));
            delete.set(0, "-D");
            iptables(delete.toArray(String[]::new));
        }
    }

    int rules() {
        return (int) iptables("-S", "OUTPUT").lines().filter(l -> l.startsWith("-A ") && l.contains(" " + comment + " ")).count();
    }

    /** Heals, then removes the cgroup once the operator processes in it are gone (the sandbox stops them first). */
    @Override
    public void close() {
        heal();
        try {
            Files.deleteIfExists(cgroupDir);
        } catch (IOException busy) {
            // A process still in it: the kernel removes nothing it still uses, and the empty group costs nothing.
        }
    }

    private static Optional<Path> cgroup2Mount() throws IOException {
        // mountinfo: "id parent major:minor root mountpoint options ... - fstype source superoptions"
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/mountinfo"))) {
            return lines.map(l -> l.split(" ")).filter(f -> Arrays.asList(f).indexOf("-") > 0
                    && "cgroup2".equals(f[Arrays.asList(f).indexOf("-") + 1])).map(f -> Path.of(f[4])).findFirst();
        }
    }

    private static String iptables(String... args) {
        List<String> command = new ArrayList<>(List.of("iptables", "-w", "5"));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
