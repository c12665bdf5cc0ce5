package com.storageos.etcd.sandbox.node;

import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The scheduler's part of the sandbox node: a pending pod is bound ({@code pods/binding}) once every claim it mounts is
 * bound and not being deleted, and only if its requests fit the node's allocatable: one that asks for more stays Pending,
 * as with a real scheduler. A DaemonSet's pod goes to the Node its affinity names.
 *
 * <p>Chaos: {@link #hold} keeps the pods of one name that are not bound yet Pending, {@code PodScheduled=False
 * Unschedulable} as a scheduler reports it, as when the one node their volume can attach to is gone, until {@link #release}.
 */
public final class SandboxScheduler {
    static final Map<String, Quantity> ALLOCATABLE = Map.of("cpu", new Quantity("2"), "memory", new Quantity("8Gi"));
    private final KubernetesClient client;
    private final String apiUrl;
    private final VolumeProvisioner volumes;
    private final Set<String> nodeNames;
    /** The held pod names, {@code namespace/name}. */
    private final Set<String> holds = ConcurrentHashMap.newKeySet();

    SandboxScheduler(KubernetesClient client, String apiUrl, VolumeProvisioner volumes, Set<String> nodeNames) {
        this.client = client;
        this.apiUrl = apiUrl;
        this.volumes = volumes;
        this.nodeNames = nodeNames;
    }

    /** A pod named {@code name} that is not bound yet stays Pending until {@link #release}; one already bound runs on. */
    public void hold(String namespace, String name) {
        holds.add(namespace + "/" + name);
    }

    /** The held pods are bound again, as when their node is back. */
    public void release(String namespace, String name) {
        holds.remove(namespace + "/" + name);
    }

    void schedule(Pod pod) {
        String ns = pod.getMetadata().getNamespace();
        if (VolumeMounts.claimsOf(pod).stream().anyMatch(c -> volumes.boundDir(ns, c).isEmpty()) || !fits(pod)) {
            return;
        }
        if (holds.contains(ns + "/" + pod.getMetadata().getName())) {
            markUnschedulable(pod);
            return;
        }
        var binding = new BindingBuilder().withNewMetadata().withName(pod.getMetadata().getName()).withNamespace(ns)
                .withUid(pod.getMetadata().getUid()).endMetadata()
                .withNewTarget().withApiVersion("v1").withKind("Node").withName(targetNode(pod)).endTarget().build();
        try {
            client.raw(apiUrl + "/api/v1/namespaces/" + ns + "/pods/" + pod.getMetadata().getName() + "/binding", "POST", binding);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409 && e.getCode() != 404) {
                throw e;
            }
        }
    }

    private void markUnschedulable(Pod pod) {
        boolean marked = Optional.ofNullable(pod.getStatus()).map(s -> s.getConditions()).stream().flatMap(c -> c.stream())
                .anyMatch(c -> "PodScheduled".equals(c.getType()) && "Unschedulable".equals(c.getReason()));
        if (!marked) {
            client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).subresource("status")
                    .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), "{\"status\":{\"conditions\":[{\"type\":\"PodScheduled\","
                            + "\"status\":\"False\",\"reason\":\"Unschedulable\",\"message\":\"0/1 nodes are available: the node of"
                            + " this pod's volume is held by the sandbox\"}]}}");
        }
    }

    /** The Node a DaemonSet's pod is pinned to (its required node affinity on metadata.name), if this kubelet plays it; else its own. */
    private String targetNode(Pod pod) {
        return Optional.ofNullable(pod.getSpec().getAffinity()).map(a -> a.getNodeAffinity())
                .map(a -> a.getRequiredDuringSchedulingIgnoredDuringExecution()).stream()
                .flatMap(r -> r.getNodeSelectorTerms().stream()).flatMap(t -> t.getMatchFields().stream())
                .filter(f -> "metadata.name".equals(f.getKey())).flatMap(f -> f.getValues().stream())
                .filter(nodeNames::contains).findFirst().orElse(SandboxNode.NODE_NAME);
    }

    /** The pod's effective request (its containers' sum, or its largest init container's) within the node's allocatable. */
    private static boolean fits(Pod pod) {
        return ALLOCATABLE.entrySet().stream().allMatch(a -> {
            BigDecimal containers = pod.getSpec().getContainers().stream().map(c -> request(c, a.getKey())).reduce(BigDecimal.ZERO, BigDecimal::add);
            BigDecimal init = pod.getSpec().getInitContainers().stream().map(c -> request(c, a.getKey())).reduce(BigDecimal.ZERO, BigDecimal::max);
            return containers.max(init).compareTo(a.getValue().getNumericalAmount()) <= 0;
        });
    }

    private static BigDecimal request(Container c, String resource) {
        return Optional.ofNullable(c.getResources()).map(r -> r.getRequests()).map(r -> r.get(resource))
                .map(Quantity::getNumericalAmount).orElse(BigDecimal.ZERO);
    }
}
