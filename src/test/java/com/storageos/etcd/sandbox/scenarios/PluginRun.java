package com.storageos.etcd.sandbox.scenarios;

import com.storageos.etcd.sandbox.Sandbox;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code kubectl etcd} plugin as a user runs it: the packaged {@code target/kubectl-etcd} as a process, with the
 * sandbox's kubeconfig and namespace, its stdout and stderr together in a file.
 */
final class PluginRun {
    static final Path EXECUTABLE = Path.of("target", "kubectl-etcd");
    private final Process process;
    private final Path output;

    private PluginRun(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    static PluginRun start(Path dir, Sandbox sandbox, String... args) throws IOException {
        List<String> line = new ArrayList<>(List.of(EXECUTABLE.toAbsolutePath().toString(),
                "--kubeconfig", sandbox.kubeconfig().toString(), "-n", Sandbox.NAMESPACE));
        line.addAll(List.of(args));
        Path output = Files.createTempFile(dir, "kubectl-etcd-", ".out");
        ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(output.toFile());
        // The stub runs JAVA_HOME's java, else the PATH's: this JVM's, the Java the build targets, not an older default.
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        return new PluginRun(builder.start(), output);
    }

    /** @return the exit code; a plugin still running after {@code timeout} is killed and fails the test */
    int await(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("kubectl etcd still running after " + timeout + ":\n" + output());
        }
        return process.exitValue();
    }

    String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(output unreadable: " + e + ")";
        }
    }
}
