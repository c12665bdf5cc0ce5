package com.storageos.etcd.desired;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.spec.S3DestinationSpec;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.naming.Labels;
import com.storageos.etcd.toolcontract.MemberPaths;
import com.storageos.etcd.toolcontract.ToolEnv;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The pod that runs one tool ({@code tool backup}, {@code tool defrag}) once: the operator image,
 * the restricted security context, the tool's own ServiceAccount, never restarted in place (the
 * Job's backoffLimit decides about retries, each in a fresh pod).
 */
final class ToolPodTemplate {
    /** A snapshot streams through the tool in chunks and defrag only waits on etcd: little CPU, a JVM's memory. */
    private static final ResourceRequirements DEFAULT_RESOURCES = new ResourceRequirementsBuilder()
            .addToRequests("cpu", new Quantity("50m")).addToRequests("memory", new Quantity("128Mi"))
            .addToLimits("memory", new Quantity("512Mi")).build();

    private ToolPodTemplate() {
    }

    /**
     * @param endpoints the tool's etcd client URLs ({@link #endpoints} or {@link #clientService}), comma-separated
     * @param resources the tool's own, from its spec; null for the defaults
     */
    static PodTemplateSpec build(EtcdCluster cluster, String tool, String endpoints, RenderSettings settings, ResourceRequirements resources,
                                 List<EnvVar> extraEnv, List<VolumeMount> mounts, List<Volume> volumes) {
        ClusterNames names = ClusterNamesOf.of(cluster);
        TlsLayout tls = TlsLayout.of(cluster);
        List<Volume> allVolumes = new ArrayList<>(volumes);
        allVolumes.addAll(tls.toolVolumes());
        allVolumes.add(new VolumeBuilder().withName("scratch").withNewEmptyDir().endEmptyDir().build());
        List<VolumeMount> allMounts = new ArrayList<>(mounts);
        allMounts.addAll(tls.toolMounts());
        allMounts.add(new VolumeMountBuilder().withName("scratch").withMountPath(ToolEnv.SCRATCH_MOUNT).build());
        var spec = new PodTemplateSpecBuilder()
                .withNewMetadata().withLabels(Labels.forComponent(names.cluster(), tool)).endMetadata()
                .withNewSpec()
                .withServiceAccountName(names.toolServiceAccount())
                .withRestartPolicy("Never")
                .withEnableServiceLinks(false)
                .withImagePullSecrets(SharedPodSettings.imagePullSecrets(cluster, settings))
                .withSecurityContext(SharedPodSettings.podSecurity(cluster, settings))
                .withContainers(container(cluster, names, tool, endpoints, settings, resources, extraEnv, allMounts))
                .withVolumes(allVolumes);
        return SharedPodSettings.placeLikeMembers(spec, cluster).endSpec().build();
    }

    /** Per-member URLs rather than the client Service: backup must choose a follower, defrag must visit each member. */
    static String endpoints(EtcdCluster cluster, int members, RenderSettings settings) {
        ClusterNames names = ClusterNamesOf.of(cluster);
        boolean tls = TlsLayout.of(cluster).client();
        return IntStream.range(0, members).mapToObj(i -> settings.addressing().clientUrl(names, i, tls))
                .collect(Collectors.joining(","));
    }

    /** The client Service: one address whatever the member count, for a long-running tool that lists the members itself. */
    static String clientService(EtcdCluster cluster, RenderSettings settings) {
        return settings.addressing().clientServiceUrl(ClusterNamesOf.of(cluster), TlsLayout.of(cluster).client());
    }

    /** No Secret named: no keys, and the tool takes the SDK's default chain (a cloud identity). */
    static List<EnvVar> s3Credentials(S3DestinationSpec s3) {
        if (s3.getCredentialsSecret() == null || s3.getCredentialsSecret().isBlank()) {
            return List.of();
        }
        return List.of(secretEnv(ToolEnv.AWS_ACCESS_KEY_ID, s3.getCredentialsSecret()),
                secretEnv(ToolEnv.AWS_SECRET_ACCESS_KEY, s3.getCredentialsSecret()));
    }

    static EnvVar env(String name, String value) {
        return new EnvVarBuilder().withName(name).withValue(value).build();
    }

    private static Container container(EtcdCluster cluster, ClusterNames names, String tool, String endpoints,
                                       RenderSettings settings, ResourceRequirements resources, List<EnvVar> extraEnv,
                                       List<VolumeMount> mounts) {
        List<EnvVar> env = new ArrayList<>(List.of(
                env(ToolEnv.CLUSTER_NAME, names.cluster()),
                new EnvVarBuilder().withName(ToolEnv.NAMESPACE).withNewValueFrom().withNewFieldRef()
                        .withFieldPath("metadata.namespace").endFieldRef().endValueFrom().build(),
                env(ToolEnv.ENDPOINTS, endpoints)));
        if (TlsLayout.of(cluster).client()) {
            env.add(env(ToolEnv.TLS_DIR, MemberPaths.TLS_CLIENT_DIR));
        }
        env.addAll(extraEnv);
        return new ContainerBuilder()
                .withName(tool)
                .withImage(settings.operatorImage())
                .withArgs("tool", tool)
                .withEnv(env)
                .withSecurityContext(RestrictedSecurity.container())
                .withTerminationMessagePolicy("FallbackToLogsOnError")
                .withResources(resources != null ? resources : DEFAULT_RESOURCES)
                .withVolumeMounts(mounts)
                .build();
    }

    private static EnvVar secretEnv(String key, String secret) {
        return new EnvVarBuilder().withName(key).withNewValueFrom().withNewSecretKeyRef()
                .withName(secret).withKey(key).withOptional(false).endSecretKeyRef().endValueFrom().build();
    }
}
