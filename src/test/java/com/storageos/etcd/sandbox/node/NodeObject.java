package com.storageos.etcd.sandbox.node;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** A Node object the sandbox's kubelet plays: created Ready, with the scheduler's allocatable as its capacity. */
final class NodeObject {
    private NodeObject() {
    }

    static void register(KubernetesClient client, String name, Map<String, String> labels) {
        Map<String, Quantity> capacity = new HashMap<>(SandboxScheduler.ALLOCATABLE);
        capacity.put("pods", new Quantity("110"));
        Node node = client.nodes().resource(new NodeBuilder()
                .withNewMetadata().withName(name).addToLabels(labels).addToLabels("kubernetes.io/hostname", name)
                .addToLabels("kubernetes.io/os", "linux").endMetadata()
                .build()).create();
        node.setStatus(new NodeStatusBuilder()
                .withCapacity(capacity).withAllocatable(capacity)
                .addNewAddress().withType("InternalIP").withAddress(SandboxNode.NODE_IP).endAddress()
                .addNewAddress().withType("Hostname").withAddress(name).endAddress()
                .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady")
                .withMessage("the sandbox node runs pods as local processes").withLastHeartbeatTime(Instant.now().toString())
                .withLastTransitionTime(Instant.now().toString()).endCondition()
                .withNewNodeInfo().withKubeletVersion("v1.26.5").withContainerRuntimeVersion("sandbox://local-processes")
                .withOperatingSystem("linux").withArchitecture("amd64").withOsImage("sandbox").withKernelVersion("")
                .withKubeProxyVersion("").withMachineID("").withSystemUUID("").withBootID("").endNodeInfo()
                .build());
        node.getMetadata().setResourceVersion(null); // unconditional: controllers annotate a new Node at once
        // The client still fills in a resourceVersion it read, so a controller's write in between is a 409: try again.
        for (int attempt = 1; ; attempt++) {
            try {
                client.nodes().resource(node).updateStatus();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 5) {
                    throw e;
                }
            }
        }
    }
}
