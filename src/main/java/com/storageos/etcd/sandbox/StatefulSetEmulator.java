package com.storageos.etcd.sandbox;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Plays the StatefulSet controller for {@code Parallel} pod management and {@code OnDelete} updates:
 * pods {@code <sts>-<ordinal>} below spec.replicas exist (a deleted one comes back from the current
 * template), pods at or above it are deleted, and claims {@code <template>-<sts>-<ordinal>} are created
 * but never deleted, as the real controller does.
 */
public final class StatefulSetEmulator implements AutoCloseable {
    static final String REVISION = "controller-revision-hash";
    static final String POD_NAME = "statefulset.kubernetes.io/pod-name";
    private final KubernetesClient client;
    private final SyncLoop loop;

    public StatefulSetEmulator(KubernetesClient client) {
        this.client = client;
        this.loop = new SyncLoop("statefulset-emulator", this::syncAll);
        loop.watch(client.apps().statefulSets().inAnyNamespace());
        loop.watch(client.pods().inAnyNamespace());
        loop.start();
    }

    private void syncAll() {
        for (StatefulSet sts : client.apps().statefulSets().inAnyNamespace().list().getItems()) {
            try {
                sync(sts);
            } catch (KubernetesClientException e) {
                // Someone wrote the same object meanwhile (409) or it is gone: the next pass sees the new state.
                if (e.getCode() != 409 && e.getCode() != 404) {
                    throw e;
                }
            }
        }
    }

    private void sync(StatefulSet sts) {
        String ns = sts.getMetadata().getNamespace();
        String name = sts.getMetadata().getName();
        int replicas = Optional.ofNullable(sts.getSpec().getReplicas()).orElse(1);
        String revision = name + "-" + hash(sts);
        Map<Integer, Pod> pods = ownedPods(sts);
        for (int ordinal = 0; ordinal < replicas; ordinal++) {
            ensureClaims(sts, ordinal);
            if (!pods.containsKey(ordinal)) {
                pods.put(ordinal, client.pods().inNamespace(ns).resource(newPod(sts, ordinal, revision)).create());
            }
        }
        pods.entrySet().removeIf(e -> {
            boolean beyond = e.getKey() >= replicas;
            if (beyond) {
                client.pods().inNamespace(ns).withName(e.getValue().getMetadata().getName()).delete();
            }
            return beyond;
        });
        writeStatus(sts, pods, revision);
    }

    private Map<Integer, Pod> ownedPods(StatefulSet sts) {
        String prefix = sts.getMetadata().getName() + "-";
        return client.pods().inNamespace(sts.getMetadata().getNamespace()).list().getItems().stream()
                .filter(p -> p.getMetadata().getOwnerReferences().stream().anyMatch(o -> o.getUid().equals(sts.getMetadata().getUid())))
                .filter(p -> p.getMetadata().getName().substring(prefix.length()).matches("\\d+"))
                .collect(Collectors.toMap(p -> Integer.parseInt(p.getMetadata().getName().substring(prefix.length())), p -> p,
                        (a, b) -> a, HashMap::new));
    }

    private void ensureClaims(StatefulSet sts, int ordinal) {
        for (PersistentVolumeClaim template : sts.getSpec().getVolumeClaimTemplates()) {
            String claim = claimName(template, sts, ordinal);
            var existing = client.persistentVolumeClaims().inNamespace(sts.getMetadata().getNamespace()).withName(claim);
            if (existing.get() == null) {
                existing.create(new PersistentVolumeClaimBuilder(template)
                        .editMetadata().withName(claim).withNamespace(sts.getMetadata().getNamespace())
                        .withLabels(sts.getSpec().getSelector().getMatchLabels()).endMetadata()
                        .withNewStatus().withPhase("Bound").endStatus()
                        .build());
            }
        }
    }

    private Pod newPod(StatefulSet sts, int ordinal, String revision) {
        String podName = sts.getMetadata().getName() + "-" + ordinal;
        PodSpec spec = client.getKubernetesSerialization().clone(sts.getSpec().getTemplate().getSpec());
        spec.setHostname(podName);
        spec.setSubdomain(sts.getSpec().getServiceName());
        for (PersistentVolumeClaim template : sts.getSpec().getVolumeClaimTemplates()) {
            spec.getVolumes().add(new VolumeBuilder().withName(template.getMetadata().getName())
                    .withNewPersistentVolumeClaim().withClaimName(claimName(template, sts, ordinal)).endPersistentVolumeClaim().build());
        }
        Map<String, String> labels = new HashMap<>(Optional.ofNullable(sts.getSpec().getTemplate().getMetadata().getLabels()).orElse(Map.of()));
        labels.put(POD_NAME, podName);
        labels.put(REVISION, revision);
        return new PodBuilder()
                .withNewMetadata().withName(podName).withNamespace(sts.getMetadata().getNamespace()).withLabels(labels)
                .withAnnotations(sts.getSpec().getTemplate().getMetadata().getAnnotations())
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("StatefulSet")
                        .withName(sts.getMetadata().getName()).withUid(sts.getMetadata().getUid())
                        .withController(true).withBlockOwnerDeletion(true).build())
                .endMetadata()
                .withSpec(spec)
                .withNewStatus().withPhase("Pending").endStatus()
                .build();
    }

    private void writeStatus(StatefulSet sts, Map<Integer, Pod> pods, String revision) {
        StatefulSetStatus old = Optional.ofNullable(sts.getStatus()).orElseGet(StatefulSetStatus::new);
        boolean allUpdated = pods.values().stream().allMatch(p -> revision.equals(p.getMetadata().getLabels().get(REVISION)));
        StatefulSetStatus next = new StatefulSetStatusBuilder()
                .withObservedGeneration(sts.getMetadata().getGeneration())
                .withReplicas(pods.size())
                .withReadyReplicas((int) pods.values().stream().filter(ProcessKubelet::isReady).count())
                .withUpdatedReplicas((int) pods.values().stream().filter(p -> revision.equals(p.getMetadata().getLabels().get(REVISION))).count())
                .withUpdateRevision(revision)
                // OnDelete: the current revision moves only once every pod runs the new template.
                .withCurrentRevision(allUpdated || old.getCurrentRevision() == null ? revision : old.getCurrentRevision())
                .build();
        next.setAvailableReplicas(next.getReadyReplicas());
        next.setCurrentReplicas(allUpdated ? pods.size() : old.getCurrentReplicas());
        if (!Objects.equals(old, next)) {
            sts.setStatus(next);
            client.apps().statefulSets().inNamespace(sts.getMetadata().getNamespace()).resource(sts).updateStatus();
        }
    }

    private static String claimName(PersistentVolumeClaim template, StatefulSet sts, int ordinal) {
        return template.getMetadata().getName() + "-" + sts.getMetadata().getName() + "-" + ordinal;
    }

    /** Like the controller's revision hash: any change to the pod template gives a new one. */
    private String hash(StatefulSet sts) {
        try {
            byte[] json = client.getKubernetesSerialization().asJson(sts.getSpec().getTemplate()).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json)).substring(0, 10);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    static List<String> claimsOf(Pod pod) {
        return pod.getSpec().getVolumes().stream().filter(v -> v.getPersistentVolumeClaim() != null)
                .map(v -> v.getPersistentVolumeClaim().getClaimName()).toList();
    }

    @Override
    public void close() {
        loop.close();
    }
}
