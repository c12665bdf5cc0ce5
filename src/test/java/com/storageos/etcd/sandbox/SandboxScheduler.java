package com.storageos.etcd.sandbox;

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
 * <p>Chaos: {@link #holdAfterNext} keeps the pods of one name Pending, as when the one node their volume can attach to is
 * gone or full: the next pod of that name is still bound, every later one stays Pending, {@code PodScheduled=False
 * Unschedulable} as a scheduler reports it, until {@link #release}.
 */
final class SandboxScheduler {
    static final Map<String, Quantity> ALLOCATABLE = Map.of("cpu", new Quantity("2"), "memory", new Quantity("8Gi"));
    private static final String NONE_YET = "";
    private final KubernetesClient client;
    private final String apiUrl;
    private final VolumeProvisioner volumes;
    private final Set<String> nodeNames;
    /** Per held pod ({@code namespace/name}): the UID of the one pod it still binds, {@link #NONE_YET} until that pod came. */
    private final Map<String, String> holds = new ConcurrentHashMap<>();

    SandboxScheduler(KubernetesClient client, String apiUrl, VolumeProvisioner volumes, Set<String> nodeNames) {
        this.client = client;
        this.apiUrl = apiUrl;
        this.volumes = volumes;
        this.nodeNames = nodeNames;
    }

    /** Binds the next pod named {@code name}, and keeps every later one Pending until {@link #release}. */
    void holdAfterNext(String namespace, String name) {
        holds.put(namespace + "/" + name, NONE_YET);
    }

    /** The held pods are bound again, as when their node is back. */
    void release(String namespace, String name) {
        holds.remove(namespace + "/" + name);
    }

    void schedule(Pod pod) {
        String ns = pod.getMetadata().getNamespace();
        if (VolumeMounts.claimsOf(pod).stream().anyMatch(c -> volumes.boundDir(ns, c).isEmpty()) || !fits(pod)) {
            return;
        }
        if (held(pod)) {
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

    /** Only on the loop's thread: the first pod a hold sees is the one it still binds. */
    private boolean held(Pod pod) {
        String key = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
        String uid = pod.getMetadata().getUid();
        holds.replace(key, NONE_YET, uid);
        return Optional.ofNullable(holds.get(key)).filter(admitted -> !admitted.equals(uid)).isPresent();
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
