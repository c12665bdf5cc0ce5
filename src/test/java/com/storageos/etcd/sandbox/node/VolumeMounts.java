package com.storageos.etcd.sandbox.node;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Where one pod's volumes live on this machine: a claim's volume is its PersistentVolume's directory
 * (it outlives the pod), any other volume is a directory of this pod UID (an emptyDir: it survives
 * container restarts, not the pod). A local process has no mount namespace, so a container's paths
 * are rewritten from its mount paths to those directories.
 */
final class VolumeMounts {
    private final Pod pod;
    private final Map<String, Path> claimDirs;
    private final Map<String, Map<String, String>> secrets;
    private final Map<String, String> configMapEnv;
    private final Path podDir;
    private int generation;

    /**
     * @param claimDirs each claim's volume directory, by claim name
     * @param secrets   each Secret volume's data (base64, as the API gives it), by volume name
     * @param configMapEnv the main container's envFrom ConfigMaps' data, as read when the pod started
     * @param podDir    this pod's directory (logs, termination messages, emptyDirs); one per pod UID
     */
    VolumeMounts(Pod pod, Map<String, Path> claimDirs, Map<String, Map<String, String>> secrets, Map<String, String> configMapEnv,
                 Path podDir) {
        this.pod = pod;
        this.claimDirs = claimDirs;
        this.secrets = secrets;
        this.configMapEnv = Map.copyOf(configMapEnv);
        this.podDir = podDir;
    }

    static List<String> claimsOf(Pod pod) {
        return pod.getSpec().getVolumes().stream().filter(v -> v.getPersistentVolumeClaim() != null)
                .map(v -> v.getPersistentVolumeClaim().getClaimName()).toList();
    }

    /** Creates every volume's directory; a Secret volume gets one file per key, as the kubelet writes it. */
    synchronized void prepare() throws IOException {
        for (Volume v : pod.getSpec().getVolumes()) {
            Path dir = Files.createDirectories(hostDir(v));
            if (v.getSecret() != null) {
                writeSecret(v.getName(), dir, secrets.getOrDefault(v.getName(), Map.of()));
            }
        }
    }

    /** The Secret volumes' names and the Secret each shows. */
    Map<String, String> secretVolumes() {
        Map<String, String> out = new LinkedHashMap<>();
        pod.getSpec().getVolumes().stream().filter(v -> v.getSecret() != null).forEach(v -> out.put(v.getName(), v.getSecret().getSecretName()));
        return out;
    }

    /**
     * The kubelet's periodic sync found the Secret behind a volume changed: its files are replaced at once, as the kubelet's
     * atomic writer does it (a new timestamped directory, then one rename of the {@code ..data} link), so that a reader
     * sees either every old file or every new one. The running container is not restarted. Returns whether anything changed.
     */
    synchronized boolean refreshSecret(String volume, Map<String, String> data) throws IOException {
        if (data.equals(secrets.get(volume))) {
            return false;
        }
        secrets.put(volume, data);
        Volume v = pod.getSpec().getVolumes().stream().filter(x -> x.getName().equals(volume)).findFirst().orElseThrow();
        writeSecret(volume, hostDir(v), data);
        return true;
    }

    /** {@code dir/..<n>/<key>} holds the data, {@code dir/..data} links to the newest, {@code dir/<key>} links through it. */
    private void writeSecret(String volume, Path dir, Map<String, String> data) throws IOException {
        Path payload = Files.createDirectory(dir.resolve("..payload-" + volume + "-" + (++generation)));
        for (Map.Entry<String, String> key : data.entrySet()) {
            Path file = payload.resolve(key.getKey());
            Files.write(file, Base64.getDecoder().decode(key.getValue()));
        }
        Path link = dir.resolve("..data");
        Path previous = Files.isSymbolicLink(link) ? dir.resolve(Files.readSymbolicLink(link)) : null;
        Path next = dir.resolve("..data_tmp");
        Files.deleteIfExists(next);
        Files.createSymbolicLink(next, payload.getFileName());
        Files.move(next, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        for (String key : data.keySet()) {
            Path visible = dir.resolve(key);
            if (!Files.isSymbolicLink(visible)) {
                Files.createSymbolicLink(visible, Path.of("..data").resolve(key));
            }
        }
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path e : entries.toList()) {
                if (Files.isSymbolicLink(e) && !e.getFileName().toString().startsWith("..") && !data.containsKey(e.getFileName().toString())) {
                    Files.delete(e); // a key the Secret no longer has
                }
            }
        }
        if (previous != null && !previous.equals(payload)) {
            SandboxNode.deleteTree(previous);
        }
    }

    Path podDir() {
        return podDir;
    }

    Map<String, Path> claimDirs() {
        return claimDirs;
    }

    private Path hostDir(Volume v) {
        if (v.getPersistentVolumeClaim() != null) {
            return claimDirs.get(v.getPersistentVolumeClaim().getClaimName());
        }
        return podDir.resolve("volumes").resolve(v.getName());
    }

    /** Rewrites every mount path inside a string (a flag, an env value, a path) to its host directory. */
    UnaryOperator<String> pathsOf(Container c) {
        return pathsOf(List.of(c));
    }

    /**
     * As {@link #pathsOf(Container)} over several containers' mounts. An init container's env needs the main
     * container's too: the bootstrap tool writes etcd's config file, whose paths (the TLS Secret mounts, say)
     * are the etcd container's.
     */
    UnaryOperator<String> pathsOf(List<Container> containers) {
        Map<String, Path> mounts = new LinkedHashMap<>();
        containers.stream().flatMap(c -> c.getVolumeMounts().stream())
                .sorted(Comparator.comparingInt((VolumeMount m) -> m.getMountPath().length()).reversed())
                .forEach(m -> pod.getSpec().getVolumes().stream().filter(v -> v.getName().equals(m.getName())).findFirst()
                        .ifPresent(v -> mounts.putIfAbsent(m.getMountPath(), hostDir(v))));
        if (mounts.isEmpty()) {
            return s -> s;
        }
        // One pass, longest mount first: a host directory that was just substituted (say under /tmp) must
        // never be rewritten again by a shorter mount path such as /tmp.
        Pattern anyMount = Pattern.compile(mounts.keySet().stream().map(Pattern::quote)
                .collect(Collectors.joining("|", "(", ")(?=/|\"|$)")));
        return s -> anyMount.matcher(s).replaceAll(r -> Matcher.quoteReplacement(mounts.get(r.group(1)).toString()));
    }

    /** The container's environment: envFrom ConfigMaps, then literal values and the downward-API fields, paths rewritten. */
    Map<String, String> env(Container c, String podIp) {
        boolean init = pod.getSpec().getInitContainers().contains(c);
        UnaryOperator<String> paths = init ? pathsOf(Stream.concat(Stream.of(c), pod.getSpec().getContainers().stream()).toList())
                : pathsOf(c);
        Map<String, String> env = new LinkedHashMap<>(init ? Map.of() : configMapEnv);
        for (EnvVar e : c.getEnv()) {
            String value = e.getValue();
            if (e.getValueFrom() != null && e.getValueFrom().getFieldRef() != null) {
                value = switch (e.getValueFrom().getFieldRef().getFieldPath()) {
                    case "metadata.name" -> pod.getMetadata().getName();
                    case "metadata.namespace" -> pod.getMetadata().getNamespace();
                    case "metadata.uid" -> pod.getMetadata().getUid();
                    case "spec.nodeName" -> pod.getSpec().getNodeName();
                    case "status.podIP" -> podIp;
                    default -> null;
                };
            }
            if (value != null) {
                env.put(e.getName(), paths.apply(value));
            }
        }
        env.put("TERMINATION_MESSAGE_PATH", terminationMessage(c).toString());
        return env;
    }

    Path terminationMessage(Container c) {
        return podDir.resolve(c.getName() + ".termination-log");
    }

    /**
     * The command line of a container. An etcd image runs its tag's release ({@link EtcdImage}); any other absolute binary
     * missing here (the image's path) is taken from PATH.
     */
    List<String> command(Container c) {
        UnaryOperator<String> paths = pathsOf(c);
        List<String> line = new ArrayList<>(c.getCommand());
        line.addAll(c.getArgs());
        if (!line.isEmpty() && !Files.isExecutable(Path.of(line.get(0)))) {
            String program = Path.of(line.get(0)).getFileName().toString();
            line.set(0, EtcdImage.of(c).flatMap(image -> image.program(program)).orElse(program));
        }
        return line.stream().map(paths).toList();
    }
}
