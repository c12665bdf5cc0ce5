package com.storageos.etcd.desired;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.spec.DefragSpec;
import com.storageos.etcd.api.v1alpha1.spec.EtcdClusterSpec;
import com.storageos.etcd.api.v1alpha1.spec.PodTemplateSpec;
import com.storageos.etcd.api.v1alpha1.spec.StorageSpec;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.naming.Labels;
import com.storageos.etcd.toolcontract.BootstrapToolEnv;
import com.storageos.etcd.toolcontract.MemberPaths;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The member StatefulSet. {@code replicas} is passed in: it follows the recorded membership, never
 * spec.replicas directly. Pods are replaced only when the operator deletes them ({@code OnDelete}),
 * so that rolling changes go one member at a time in the order the operator chooses; which pods
 * must restart is decided by {@link MemberTemplateHash}, not by the StatefulSet's revision.
 */
public final class MemberStatefulSet {
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Without spec.resources: a floor the scheduler reserves, no limit. etcd's hardware guide asks 2-4 cores and 8 GB for a
     * dedicated machine under a Kubernetes control plane's load; StorageOS's metadata is far lighter (megabytes, a few
     * writes a second), so a floor that five members (a scale-up) and StorageOS itself fit beside on one small node.
     * No limit: a CPU limit throttles etcd into missed heartbeats, a memory limit kills a member whose mapped database grows.
     */
    static final ResourceRequirements DEFAULT_RESOURCES = new ResourceRequirementsBuilder()
            .addToRequests("cpu", new Quantity("100m")).addToRequests("memory", new Quantity("256Mi")).build();

    private MemberStatefulSet() {
    }

    /** Annotates the pod template with the CAs the members trust, so that a change of them restarts the members. */
    public static final String TRUST_BUNDLE_ANNOTATION = "etcd.storageos.com/trust-bundle-hash";

    /** @param trustBundleHash the {@link com.storageos.etcd.tls.TrustBundle#hash} of the members' ca.crt files; null without TLS */
    public static StatefulSet build(EtcdCluster cluster, int replicas, RenderSettings settings, String trustBundleHash) {
        ClusterNames names = ClusterNamesOf.of(cluster);
        EtcdClusterSpec spec = cluster.getSpec();
        PodTemplateSpec pod = SharedPodSettings.podTemplate(cluster);
        Map<String, String> podLabels = new HashMap<>(Optional.ofNullable(pod.getLabels()).orElse(Map.of()));
        podLabels.putAll(Labels.forComponent(names.cluster(), "member"));
        var template = new PodTemplateSpecBuilder()
                .withNewMetadata().withLabels(podLabels).withAnnotations(new HashMap<>(Optional.ofNullable(pod.getAnnotations())
                        .orElse(Map.of()))).endMetadata()
                .withNewSpec()
                .withServiceAccountName(names.memberServiceAccount())
                // etcd reads ETCD_* variables; Service links would inject some (ETCD_CLIENT_PORT...).
                .withEnableServiceLinks(false)
                .withImagePullSecrets(SharedPodSettings.imagePullSecrets(cluster, settings))
                .withSecurityContext(SharedPodSettings.podSecurity(cluster, settings))
                .withAffinity(Optional.ofNullable(pod.getAffinity()).orElseGet(() -> MemberAffinity.spreadAcrossNodes(names)))
                .withNodeSelector(pod.getNodeSelector())
                .withTolerations(pod.getTolerations())
                .withTopologySpreadConstraints(pod.getTopologySpreadConstraints())
                .withPriorityClassName(pod.getPriorityClassName())
                .withReadinessGates(VoterGate.readinessGate())
                .withInitContainers(bootstrapContainer(cluster, names, settings))
                .withContainers(etcdContainer(spec, settings, TlsLayout.of(cluster)))
                // The JVM of the bootstrap tool needs a writable temp dir; the root filesystem is read-only.
                .addNewVolume().withName("tmp").withNewEmptyDir().endEmptyDir().endVolume()
                .addAllToVolumes(RestoreSource.volumes(cluster))
                .addAllToVolumes(TlsLayout.of(cluster).memberVolumes())
                .endSpec()
                .build();
        if (trustBundleHash != null) {
            template.getMetadata().getAnnotations().put(TRUST_BUNDLE_ANNOTATION, trustBundleHash);
        }
        template.getMetadata().getAnnotations().put(MemberTemplateHash.ANNOTATION, MemberTemplateHash.of(template));
        return new StatefulSetBuilder()
                .withMetadata(ObjectMetas.owned(cluster, names.statefulSet(), "member"))
                .withNewSpec()
                .withReplicas(replicas)
                .withServiceName(names.peerService())
                .withPodManagementPolicy("Parallel")
                .withNewUpdateStrategy().withType("OnDelete").endUpdateStrategy()
                .withNewSelector().withMatchLabels(Labels.memberSelector(names.cluster())).endSelector()
                .withVolumeClaimTemplates(dataClaim(spec.getStorage()))
                .withTemplate(template)
                .endSpec()
                .build();
    }

    /** The upstream image for the requested version, unless the user named one. */
    public static String etcdImage(EtcdClusterSpec spec, RenderSettings settings) {
        return spec.getImage() != null ? spec.getImage() : settings.etcdImageRepository() + ":v" + spec.getVersion();
    }

    private static PersistentVolumeClaim dataClaim(StorageSpec storage) {
        StorageSpec s = storage == null ? new StorageSpec() : storage;
        return new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName(ClusterNames.DATA_VOLUME).endMetadata()
                .withNewSpec()
                .withAccessModes("ReadWriteOnce")
                .withStorageClassName(s.getStorageClassName())
                .withNewResources().addToRequests("storage", new Quantity(s.getSize())).endResources()
                .endSpec()
                .build();
    }

    private static Container bootstrapContainer(EtcdCluster cluster, ClusterNames names, RenderSettings settings) {
        return new ContainerBuilder()
                .withName("bootstrap")
                .withImage(settings.operatorImage())
                .withArgs("tool", "bootstrap")
                .withEnv(fieldRef(BootstrapToolEnv.POD_NAME, "metadata.name"),
                        fieldRef(BootstrapToolEnv.POD_NAMESPACE, "metadata.namespace"),
                        env(BootstrapToolEnv.CLUSTER_NAME, names.cluster()),
                        env(BootstrapToolEnv.CONFIG_TEMPLATE, configTemplateJson(cluster, names, settings)))
                .addAllToEnv(RestoreSource.env(cluster))
                .withTerminationMessagePolicy("FallbackToLogsOnError")
                .withSecurityContext(RestrictedSecurity.container())
                .withNewResources()
                .addToRequests("cpu", new Quantity("50m")).addToRequests("memory", new Quantity("128Mi"))
                .addToLimits("memory", new Quantity("256Mi"))
                .endResources()
                .addNewVolumeMount().withName(ClusterNames.DATA_VOLUME).withMountPath(MemberPaths.DATA_MOUNT).endVolumeMount()
                .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
                .addAllToVolumeMounts(RestoreSource.mounts(cluster))
                .build();
    }

    private static Container etcdContainer(EtcdClusterSpec spec, RenderSettings settings, TlsLayout tls) {
        MemberProbes probes = MemberProbes.forVersion(spec.getVersion(), Optional.ofNullable(spec.getDefrag())
                .map(DefragSpec::getTimeoutSeconds).orElse(DefragSpec.DEFAULT_TIMEOUT_SECONDS));
        return new ContainerBuilder()
                .withName("etcd")
                .withImage(etcdImage(spec, settings))
                .withCommand(MemberPaths.ETCD_BINARY, "--config-file=" + MemberPaths.CONFIG_FILE)
                .addNewPort().withName("client").withContainerPort(2379).endPort()
                .addNewPort().withName("peer").withContainerPort(2380).endPort()
                .addNewPort().withName("metrics").withContainerPort(MemberPaths.METRICS_PORT).endPort()
                .withReadinessProbe(probes.readiness())
                .withLivenessProbe(probes.liveness())
                .withStartupProbe(probes.startup())
                .withResources(spec.getResources() != null ? spec.getResources() : DEFAULT_RESOURCES)
                .withSecurityContext(RestrictedSecurity.container())
                .withTerminationMessagePolicy("FallbackToLogsOnError")
                .addNewVolumeMount().withName(ClusterNames.DATA_VOLUME).withMountPath(MemberPaths.DATA_MOUNT).endVolumeMount()
                .addAllToVolumeMounts(tls.memberMounts())
                .build();
    }

    private static String configTemplateJson(EtcdCluster cluster, ClusterNames names, RenderSettings settings) {
        try {
            return JSON.writeValueAsString(ReleaseConfigKeys.forRelease(cluster.getSpec().getVersion(),
                    EtcdFlags.template(names, cluster.getSpec().getEtcd(), settings.addressing(), TlsLayout.of(cluster))));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("etcd flags are plain values", e);
        }
    }

    private static EnvVar env(String name, String value) {
        return new EnvVarBuilder().withName(name).withValue(value).build();
    }

    private static EnvVar fieldRef(String name, String path) {
        return new EnvVarBuilder().withName(name).withNewValueFrom().withNewFieldRef().withFieldPath(path).endFieldRef().endValueFrom().build();
    }

}
