package com.storageos.etcd.sandbox.node;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.storageos.etcd.naming.MemberAddressing;
import com.storageos.etcd.sandbox.Sandbox;
import com.storageos.etcd.testing.EtcdBinaries;
import com.storageos.etcd.testing.kube.ControlPlane;
import com.storageos.etcd.tool.bootstrap.BootstrapCommand;
import com.storageos.etcd.toolcontract.BootstrapToolEnv;
import com.storageos.etcd.toolcontract.MemberPaths;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The member pod's {@code tool bootstrap} init container, run in-process: the real
 * {@link BootstrapCommand}, reading its EtcdCluster with a token of the pod's own ServiceAccount (so
 * the member Role is what allows it, as in the pod). In-process rather than a JVM per attempt
 * because on a 2-core CI machine a Quarkus JVM start per member pod would dominate the run.
 */
public final class BootstrapInit {
    private static final String RESTORE_PROGRAM_ETCDUTL = "ETCDUTL";
    private static final String RESTORE_PROGRAM_ETCDCTL = "ETCDCTL";
    private static final String REPLAY_ETCD = "ETCD";
    private static final List<String> LISTEN_KEYS = List.of("listen-peer-urls", "listen-client-urls", "listen-metrics-urls");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ControlPlane plane;

    BootstrapInit(ControlPlane plane) {
        this.plane = plane;
    }

    static boolean runs(Container c) {
        return c.getArgs().size() >= 2 && c.getArgs().get(0).equals("tool") && c.getArgs().get(1).equals("bootstrap");
    }

    /**
     * @param podIp the pod's IP: its etcd listens there too, as a pod's etcd listens on 0.0.0.0 (see {@link Sandbox}'s pod IPs)
     * @return the exit code; a refusal also writes the env's TERMINATION_MESSAGE_PATH
     */
    int run(Pod pod, Container container, Map<String, String> podEnv, UnaryOperator<String> paths, String podIp) throws Exception {
        Map<String, String> env = new HashMap<>(podEnv);
        if (env.containsKey(BootstrapToolEnv.CONFIG_TEMPLATE)) {
            env.put(BootstrapToolEnv.CONFIG_TEMPLATE, listeningAlsoOn(env.get(BootstrapToolEnv.CONFIG_TEMPLATE),
                    pod.getMetadata().getName().substring(pod.getMetadata().getName().lastIndexOf('-') + 1), podIp));
        }
        // In the pod the tool's default data dir is on the mounted volume; here the volume is a host directory.
        env.putIfAbsent("ETCD_DATA_DIR", paths.apply(MemberPaths.DATA_DIR));
        // A restore runs the member image's etcdutl (3.5 and later) or etcdctl (3.4): the release of the pod's etcd container.
        EtcdImage.of(pod.getSpec().getContainers().get(0)).flatMap(image -> EtcdBinaries.find(image.version())).ifPresent(release -> {
            env.putIfAbsent(RESTORE_PROGRAM_ETCDUTL, release.dir().resolve("etcdutl").toString());
            env.putIfAbsent(RESTORE_PROGRAM_ETCDCTL, release.etcdctl());
        });
        // A point-in-time restore replays its chain with the image's etcd (3.5.30), whatever the member's release.
        env.putIfAbsent(REPLAY_ETCD, EtcdBinaries.of(EtcdBinaries.DEFAULT_VERSION).etcd());
        String namespace = pod.getMetadata().getNamespace();
        String serviceAccount = pod.getSpec().getServiceAccountName();
        return new BootstrapCommand(() -> plane.clientAs(namespace, serviceAccount))
                .run(container.getArgs().subList(2, container.getArgs().size()), env);
    }

    /**
     * The member's configuration template with {@code podIp} added to each listen URL list whose first URL, for this
     * {@code ordinal}, names another host.
     */
    static String listeningAlsoOn(String template, String ordinal, String podIp) throws JsonProcessingException {
        ObjectNode config = (ObjectNode) JSON.readTree(template);
        boolean changed = false;
        for (String key : LISTEN_KEYS) {
            if (config.hasNonNull(key)) {
                String first = config.get(key).asText().split(",")[0].replace(MemberAddressing.ORDINAL, ordinal);
                String scheme = first.substring(0, first.indexOf("://"));
                String host = first.substring(scheme.length() + 3, first.lastIndexOf(':'));
                if (!host.equals(podIp)) {
                    config.put(key, config.get(key).asText() + "," + scheme + "://" + podIp + first.substring(first.lastIndexOf(':')));
                    changed = true;
                }
            }
        }
        return changed ? JSON.writeValueAsString(config) : template;
    }
}
