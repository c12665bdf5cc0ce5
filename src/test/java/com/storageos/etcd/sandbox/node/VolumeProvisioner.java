package com.storageos.etcd.sandbox.node;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Plays a volume provisioner for this one node: every pending claim gets a hostPath PersistentVolume
 * (a directory under {@code <root>/volumes}) of the requested size, access modes and class, pre-bound
 * to the claim through its claimRef, so that the real PV binder binds the two. A volume whose claim
 * was deleted (Released) has its directory and then itself deleted, as a provisioner's deleter does;
 * the volumes say {@code Retain} so that the PV controller never tries to delete a hostPath itself.
 */
final class VolumeProvisioner {
    static final String PROVISIONED_BY = "sandbox.etcd.storageos.com/provisioned-by";
    private final KubernetesClient client;
    private final Path volumesRoot;
    private final String node;

    VolumeProvisioner(KubernetesClient client, Path volumesRoot, String node) {
        this.client = client;
        this.volumesRoot = volumesRoot;
        this.node = node;
    }

    void sync() {
        List<PersistentVolume> volumes = client.persistentVolumes().withLabel(PROVISIONED_BY, node).list().getItems();
        Set<String> claimed = volumes.stream().map(v -> v.getSpec().getClaimRef()).filter(Objects::nonNull)
                .map(r -> r.getUid()).collect(Collectors.toSet());
        for (PersistentVolumeClaim claim : client.persistentVolumeClaims().inAnyNamespace().list().getItems()) {
            boolean pending = claim.getSpec().getVolumeName() == null || claim.getSpec().getVolumeName().isEmpty();
            if (pending && claim.getMetadata().getDeletionTimestamp() == null && !claimed.contains(claim.getMetadata().getUid())) {
                provision(claim);
            }
        }
        volumes.stream().filter(v -> v.getStatus() != null && "Released".equals(v.getStatus().getPhase())).forEach(this::reclaim);
    }

    private void provision(PersistentVolumeClaim claim) {
        Path dir = volumesRoot.resolve(claim.getMetadata().getNamespace() + "-" + claim.getMetadata().getName() + "-"
                + claim.getMetadata().getUid().substring(0, 8));
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PersistentVolume volume = new PersistentVolumeBuilder()
                .withNewMetadata().withName("pvc-" + claim.getMetadata().getUid()).addToLabels(PROVISIONED_BY, node).endMetadata()
                .withNewSpec()
                .withCapacity(Map.of("storage", claim.getSpec().getResources().getRequests().get("storage")))
                .withAccessModes(claim.getSpec().getAccessModes())
                .withStorageClassName(Optional.ofNullable(claim.getSpec().getStorageClassName()).orElse(""))
                .withVolumeMode(Optional.ofNullable(claim.getSpec().getVolumeMode()).orElse("Filesystem"))
                .withPersistentVolumeReclaimPolicy("Retain")
                .withNewHostPath().withPath(dir.toAbsolutePath().toString()).withType("Directory").endHostPath()
                .withNewClaimRef().withApiVersion("v1").withKind("PersistentVolumeClaim")
                .withNamespace(claim.getMetadata().getNamespace()).withName(claim.getMetadata().getName())
                .withUid(claim.getMetadata().getUid()).endClaimRef()
                .endSpec()
                .build();
        try {
            client.persistentVolumes().resource(volume).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
        }
    }

    private void reclaim(PersistentVolume volume) {
        try {
            SandboxNode.deleteTree(Path.of(volume.getSpec().getHostPath().getPath()));
        } catch (IOException e) {
            System.err.println("sandbox provisioner: could not delete " + volume.getSpec().getHostPath().getPath() + ": " + e);
            return;
        }
        client.persistentVolumes().withName(volume.getMetadata().getName()).delete();
    }

    /** The directory of the volume bound to a claim, once the binder has bound it. */
    Optional<Path> boundDir(String namespace, String claimName) {
        PersistentVolumeClaim claim = client.persistentVolumeClaims().inNamespace(namespace).withName(claimName).get();
        if (claim == null || claim.getMetadata().getDeletionTimestamp() != null || claim.getStatus() == null
                || !"Bound".equals(claim.getStatus().getPhase())) {
            return Optional.empty();
        }
        PersistentVolume volume = client.persistentVolumes().withName(claim.getSpec().getVolumeName()).get();
        return Optional.ofNullable(volume).map(v -> v.getSpec().getHostPath()).map(h -> Path.of(h.getPath()));
    }
}
