package com.storageos.etcd.sandbox;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.status.EtcdClusterStatus;
import com.storageos.etcd.desired.BootstrapToolEnv;
import com.storageos.etcd.desired.MemberPaths;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.tool.bootstrap.BootstrapCommand;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The member pod's {@code tool bootstrap} init container, run in-process: it reads its EtcdCluster
 * from the API as the real tool does from inside the pod, then the real {@link BootstrapCommand}
 * decides and writes etcd's config file. Only the client differs (the sandbox's, not in-cluster).
 */
final class BootstrapInit implements InitContainer {
    private final KubernetesClient client;

    BootstrapInit(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public int run(Pod pod, Container container, Map<String, String> podEnv, UnaryOperator<String> paths) throws Exception {
        if (!container.getArgs().contains("bootstrap")) {
            throw new IllegalArgumentException("the sandbox runs only the bootstrap tool as an init container, not " + container.getArgs());
        }
        Map<String, String> env = new HashMap<>(podEnv);
        // In the pod the tool's default data dir is on the mounted volume; here the volume is a host directory.
        env.putIfAbsent("ETCD_DATA_DIR", paths.apply(MemberPaths.DATA_DIR));
        ClusterNames names = new ClusterNames(env.get(BootstrapToolEnv.CLUSTER_NAME), env.get(BootstrapToolEnv.POD_NAMESPACE));
        String podName = env.get(BootstrapToolEnv.POD_NAME);
        EtcdCluster cluster = client.resources(EtcdCluster.class).inNamespace(names.namespace()).withName(names.cluster()).get();
        if (cluster == null) {
            Files.writeString(Path.of(env.get("TERMINATION_MESSAGE_PATH")), "ClusterGone: EtcdCluster " + names.cluster() + " does not exist");
            return 1;
        }
        int ordinal = names.ordinalOf(podName).orElseThrow();
        EtcdClusterStatus status = Optional.ofNullable(cluster.getStatus()).orElseGet(EtcdClusterStatus::new);
        return new BootstrapCommand().bootstrap(podName, ordinal, status, env);
    }
}
