package com.storageos.etcd.sandbox.node;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * One pod (one UID) on the sandbox node, with a real kubelet's lifecycle: its init containers run
 * once, in order, each retried until it succeeds; then the main container runs as a local process
 * and, when it exits or its liveness probe fails, is restarted IN PLACE after a back-off (the init
 * containers do not run again; only a new pod runs them). Deletion stops it with SIGTERM and, after
 * the grace period, SIGKILL. A Job's pod (restartPolicy Never) runs its container once and ends Succeeded or Failed. An
 * operator-image tool container (a Job's, the backup agent's) runs as {@link ToolModeContainer} says.
 *
 * <p>The back-off is 1, 2, 4, then 8 s (a real kubelet: 10 s doubling to 5 min), reset after 20 s of
 * running, so that the sandbox heals at a watchable pace.
 */
final class PodRunner {
    private static final Duration RESET_BACKOFF_AFTER = Duration.ofSeconds(20);
    private final Pod pod;
    private final VolumeMounts volumes;
    private final Path logDir;
    private final String podIp;
    private final BootstrapInit init;
    private final ToolModeContainer tools;
    private final PodStatusReport report;
    private final Thread thread;
    private final Object launch = new Object();
    private volatile boolean stopping;
    private volatile Process process;

    PodRunner(Pod pod, VolumeMounts volumes, Path logDir, String podIp, BootstrapInit init, ToolModeContainer tools, PodStatusReport report) {
        this.pod = pod;
        this.volumes = volumes;
        this.logDir = logDir;
        this.podIp = podIp;
        this.init = init;
        this.tools = tools;
        this.report = report;
        this.thread = new Thread(this::run, "pod-" + pod.getMetadata().getName());
        thread.setDaemon(true);
    }

    Pod pod() {
        return pod;
    }

    VolumeMounts volumes() {
        return volumes;
    }

    void start() {
        thread.start();
    }

    /** The API's copy of the pod changed (say a readiness gate's condition): Ready is recomputed from it. */
    void seen(Pod current) {
        report.seen(current);
    }

    private void run() {
        try {
            volumes.prepare();
            Files.createDirectories(logDir);
            if (runInitContainers()) {
                runMain(pod.getSpec().getContainers().get(0));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            if (!stopping) {
                System.err.println("sandbox node: pod " + pod.getMetadata().getName() + ": " + e);
            }
        }
    }

    private boolean runInitContainers() throws Exception {
        for (Container c : pod.getSpec().getInitContainers()) {
            if (!BootstrapInit.runs(c)) {
                throw new IllegalArgumentException("the sandbox node runs only the bootstrap tool as an init container, not " + c.getArgs());
            }
            for (int attempt = 0; ; attempt++) {
                Map<String, String> env = volumes.env(c, podIp);
                Path messageFile = volumes.terminationMessage(c);
                Files.deleteIfExists(messageFile);
                if (stopping || !report.initRunning(c, "sandbox://" + pod.getMetadata().getUid() + "/" + c.getName() + "/" + attempt)) {
                    return false;
                }
                int exit = init.run(pod, c, env, volumes.pathsOf(c), podIp);
                if (exit == 0) {
                    if (!report.initSucceeded(c, Files.exists(messageFile) ? Files.readString(messageFile) : null)) {
                        return false;
                    }
                    break;
                }
                String message = Files.exists(messageFile) ? Files.readString(messageFile) : "exit code " + exit;
                if (stopping || !report.initFailed(c, exit, message)) {
                    return false;
                }
                sleep(backoff(attempt));
            }
        }
        return !stopping;
    }

    private void runMain(Container c) throws IOException, InterruptedException {
        try {
            EtcdImage.of(c).ifPresent(EtcdImage::binaries);
        } catch (EtcdImage.ImageUnavailable e) {
            report.imageUnavailable(c, e.getMessage());
            return;
        }
        for (int restarts = 0; !stopping; restarts++) {
            long started = System.nanoTime();
            Process p = launch(c);
            if (p == null || !report.running(c, "sandbox://" + p.pid())) {
                return;
            }
            Optional<String> restart = watch(c, p, started);
            if (stopping) {
                return;
            }
            restart.ifPresent(why -> p.destroyForcibly());
            int exit = p.waitFor();
            if ("Never".equals(pod.getSpec().getRestartPolicy())) {
                report.finished(c, exit, TerminationMessage.of(c, exit, volumes.terminationMessage(c), log(c)));
                return;
            }
            if (!report.exited(c, exit, restart.orElse(null))) {
                return;
            }
            boolean ranLong = Duration.ofNanos(System.nanoTime() - started).compareTo(RESET_BACKOFF_AFTER) >= 0;
            if (ranLong) {
                restarts = 0;
            }
            sleep(backoff(restarts));
        }
    }

    /** Probes the container while it runs; returns why the kubelet restarts it, or empty when it exited by itself. */
    private Optional<String> watch(Container c, Process p, long started) throws InterruptedException {
        ContainerProbes probes = new ContainerProbes(c, podIp, started);
        while (p.isAlive() && !stopping) {
            ContainerProbes.Verdict verdict = probes.tick(System.nanoTime());
            if (verdict.restart().isPresent()) {
                return verdict.restart();
            }
            if (!report.readiness(verdict.ready())) {
                stopping = true;
            }
            p.waitFor(200, TimeUnit.MILLISECONDS);
        }
        return Optional.empty();
    }

    private Process launch(Container c) throws IOException {
        synchronized (launch) {
            if (stopping) {
                return null;
            }
            ProcessBuilder builder;
            if (ToolModeContainer.runs(c)) {
                builder = tools.process(pod, c, volumes, podIp);
            } else {
                builder = new ProcessBuilder(volumes.command(c));
                // Only the container's own environment: etcd would also read this JVM's ETCD_* variables.
                builder.environment().keySet().removeIf(k -> k.startsWith("ETCD"));
                builder.environment().putAll(volumes.env(c, podIp));
            }
            process = builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log(c).toFile())).start();
            return process;
        }
    }

    private Path log(Container c) {
        return logDir.resolve(c.getName() + ".log");
    }

    /** kill -STOP or -CONT of the main container's process: a stopped one still runs but answers nothing. */
    void signal(String signal) throws IOException, InterruptedException {
        Process p = process;
        if (p != null && p.isAlive()) {
            new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).inheritIO().start().waitFor();
        }
    }

    /** The main container's running process. */
    OptionalLong pid() {
        Process p = process;
        return p != null && p.isAlive() ? OptionalLong.of(p.pid()) : OptionalLong.empty();
    }

    /** kill -9 of the main container's process: the kubelet restarts it in place. */
    void kill() {
        Optional.ofNullable(process).ifPresent(Process::destroyForcibly);
    }

    /**
     * Something happens to the volumes under the running pod: the process is killed, {@code change} is made to the claims'
     * directories (by claim name), and the kubelet then restarts the container in place on them, without the init container.
     */
    void changeClaims(VolumeChaos change) throws IOException, InterruptedException {
        synchronized (launch) {
            Process p = process;
            if (p != null) {
                p.destroyForcibly().waitFor();
            }
            change.apply(volumes.claimDirs());
        }
    }

    /** The pod was deleted: SIGTERM, SIGKILL after the grace period, then its status says the container stopped. */
    void stop(Duration grace) throws InterruptedException {
        synchronized (launch) {
            stopping = true;
        }
        thread.interrupt();
        Process p = process;
        if (p != null && p.isAlive()) {
            p.destroy();
            if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor();
            }
            report.stopped(pod.getSpec().getContainers().get(0), p.exitValue());
        }
        thread.join(10_000);
    }

    private static Duration backoff(int attempt) {
        return Duration.ofSeconds(1L << Math.min(attempt, 3));
    }

    private static void sleep(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis());
    }
}
