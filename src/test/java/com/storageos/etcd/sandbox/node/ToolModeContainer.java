package com.storageos.etcd.sandbox.node;

import com.storageos.etcd.testing.kube.ControlPlane;
import com.storageos.etcd.testing.kube.OperatorProcess;
import com.storageos.etcd.toolcontract.ToolEnv;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A container of the operator image in tool mode on the sandbox node: a Job's ({@code tool backup}, {@code tool defrag}) or
 * the backup agent Deployment's ({@code tool follow}), run as the image runs it, the packaged operator
 * ({@link OperatorProcess#JAR}) in a JVM of its own with the container's args. It acts as the pod's ServiceAccount (a
 * TokenRequest token in a kubeconfig, where a pod has its projected token), so the tool's Role is what allows its status
 * write. Unlike the bootstrap init container ({@link BootstrapInit}, in-process because it runs per member start) its exit
 * code and output are what the Job controller and a user see, and the agent runs for as long as its pod, so it gets a
 * process; {@link PodRunner} restarts it in place as it does any container, except in a Job's pod.
 */
public final class ToolModeContainer {
    private final ControlPlane plane;

    ToolModeContainer(ControlPlane plane) {
        this.plane = plane;
    }

    /** A main container that is the operator image in tool mode (its entrypoint, {@code tool <mode>} as args), in any pod. */
    static boolean runs(Container c) {
        return c.getCommand().isEmpty() && c.getArgs().size() >= 2 && c.getArgs().get(0).equals("tool");
    }

    /** The container's process, not started: the pod's env and args with its mount paths rewritten, and nothing of this JVM's. */
    ProcessBuilder process(Pod pod, Container c, VolumeMounts volumes, String podIp) throws IOException {
        if (!Files.isRegularFile(OperatorProcess.JAR)) {
            throw new IllegalStateException(OperatorProcess.JAR + " is missing: run ./mvnw package first");
        }
        Path kubeconfig = Files.createDirectories(volumes.podDir()).resolve(c.getName() + ".kubeconfig");
        Files.writeString(kubeconfig, plane.kubeconfigAs(pod.getMetadata().getNamespace(), pod.getSpec().getServiceAccountName()));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        // The container's memory limit, which a JVM in a pod sizes its heap from.
        memoryLimit(c).ifPresent(bytes -> command.add("-XX:MaxRAM=" + bytes));
        command.addAll(List.of("-jar", OperatorProcess.JAR.toAbsolutePath().toString()));
        command.addAll(c.getArgs().stream().map(volumes.pathsOf(c)).toList());
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(k -> k.startsWith("KUBERNETES") || k.startsWith("QUARKUS") || k.startsWith("ETCD"));
        Map<String, String> env = builder.environment();
        env.putAll(volumes.env(c, podIp));
        // The tool's scratch default is the mount path itself (the pod's emptyDir on /tmp); here it must be that emptyDir's directory.
        env.putIfAbsent(ToolEnv.SCRATCH_DIR, volumes.pathsOf(c).apply(ToolEnv.SCRATCH_MOUNT));
        env.put("KUBECONFIG", kubeconfig.toString());
        return builder;
    }

    private static Optional<Long> memoryLimit(Container c) {
        return Optional.ofNullable(c.getResources()).map(r -> r.getLimits()).map(l -> l.get("memory"))
                .map(q -> Quantity.getAmountInBytes(q).longValue());
    }
}
