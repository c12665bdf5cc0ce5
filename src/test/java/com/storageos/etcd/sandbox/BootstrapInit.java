package com.storageos.etcd.sandbox;

import com.storageos.etcd.testing.EtcdBinaries;
import com.storageos.etcd.toolcontract.MemberPaths;
import com.storageos.etcd.testing.kube.ControlPlane;
import com.storageos.etcd.tool.bootstrap.BootstrapCommand;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The member pod's {@code tool bootstrap} init container, run in-process: the real
 * {@link BootstrapCommand}, reading its EtcdCluster with a token of the pod's own ServiceAccount (so
 * the member Role is what allows it, as in the pod). In-process rather than a JVM per attempt
 * because on a 2-core CI machine a Quarkus JVM start per member pod would dominate the run.
 */
final class BootstrapInit {
    private static final String RESTORE_PROGRAM_ETCDUTL = "ETCDUTL";
    private static final String RESTORE_PROGRAM_ETCDCTL = "ETCDCTL";
    private final ControlPlane plane;

    BootstrapInit(ControlPlane plane) {
        this.plane = plane;
    }

    static boolean runs(Container c) {
        return c.getArgs().size() >= 2 && c.getArgs().get(0).equals("tool") && c.getArgs().get(1).equals("bootstrap");
    }

    /** @return the exit code; a refusal also writes the env's TERMINATION_MESSAGE_PATH */
    int run(Pod pod, Container container, Map<String, String> podEnv, UnaryOperator<String> paths) throws Exception {
        Map<String, String> env = new HashMap<>(podEnv);
        // In the pod the tool's default data dir is on the mounted volume; here the volume is a host directory.
        env.putIfAbsent("ETCD_DATA_DIR", paths.apply(MemberPaths.DATA_DIR));
        // A restore runs the member image's etcdutl (3.5 and later) or etcdctl (3.4): the release of the pod's etcd container.
        EtcdImage.of(pod.getSpec().getContainers().get(0)).flatMap(image -> EtcdBinaries.find(image.version())).ifPresent(release -> {
            env.putIfAbsent(RESTORE_PROGRAM_ETCDUTL, release.dir().resolve("etcdutl").toString());
            env.putIfAbsent(RESTORE_PROGRAM_ETCDCTL, release.etcdctl());
        });
        String namespace = pod.getMetadata().getNamespace();
        String serviceAccount = pod.getSpec().getServiceAccountName();
        return new BootstrapCommand(() -> plane.clientAs(namespace, serviceAccount))
                .run(container.getArgs().subList(2, container.getArgs().size()), env);
    }

}
