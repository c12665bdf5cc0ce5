package com.storageos.etcd.testing.kube;

import com.storageos.etcd.packaging.HelmChart;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The operator installed from its own Helm chart, as {@code helm install} would, minus the Deployment:
 * the CRD, the ServiceAccount and every Role and binding are applied for real; the Deployment's
 * container environment is kept so that {@link OperatorProcess} runs the packaged operator the way the
 * pod would, with a token of the chart's ServiceAccount.
 */
public final class OperatorInstall {
    public static final String NAMESPACE = HelmChart.RELEASE_NAMESPACE;
    /** The Lease the chart names after its release. */
    public static final String LEASE_NAME = HelmChart.RELEASE_NAME + "-leader";
    static final Path CRD = Path.of("crds", "etcdclusters.etcd.storageos.com-v1.yml");
    private static final Set<String> APPLIED = Set.of("ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding");

    private final ControlPlane plane;
    private final String serviceAccount;
    private final Map<String, String> env;
    private final Optional<Long> memoryLimitBytes;

    private OperatorInstall(ControlPlane plane, String serviceAccount, Map<String, String> env, Optional<Long> memoryLimitBytes) {
        this.plane = plane;
        this.serviceAccount = serviceAccount;
        this.env = env;
        this.memoryLimitBytes = memoryLimitBytes;
    }

    /** Renders the chart with {@code values} (Helm's --set), applies the CRD and the RBAC, and waits for the CRD. */
    public static OperatorInstall install(ControlPlane plane, Map<String, Object> values) {
        HelmChart chart = HelmChart.withDefaults();
        values.forEach(chart::set);
        List<HasMetadata> objects = plane.admin().getKubernetesSerialization()
                .unmarshal(new ByteArrayInputStream(chart.renderText().getBytes(StandardCharsets.UTF_8)));
        plane.admin().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
                .createOr(existing -> existing.patch());
        applyCrd(plane, CRD);
        objects.stream().filter(o -> APPLIED.contains(o.getKind())).forEach(o -> {
            if (o.getMetadata().getNamespace() == null && !o.getKind().startsWith("Cluster")) {
                o.getMetadata().setNamespace(NAMESPACE);
            }
            plane.admin().resource(o).forceConflicts().serverSideApply();
        });
        Deployment deployment = objects.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast).findFirst()
                .orElseThrow(() -> new IllegalStateException("the chart rendered no Deployment"));
        var pod = deployment.getSpec().getTemplate().getSpec();
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar e : pod.getContainers().get(0).getEnv()) {
            if (e.getValueFrom() != null && e.getValueFrom().getFieldRef() != null
                    && "metadata.namespace".equals(e.getValueFrom().getFieldRef().getFieldPath())) {
                env.put(e.getName(), NAMESPACE);
            } else if (e.getValue() != null) {
                env.put(e.getName(), expand(e.getValue(), env));
            }
        }
        Optional<Quantity> limit = Optional.ofNullable(pod.getContainers().get(0).getResources())
                .map(r -> r.getLimits()).map(l -> l.get("memory"));
        return new OperatorInstall(plane, pod.getServiceAccountName(), env, limit.map(q -> q.getNumericalAmount().longValue()));
    }

    /** Applies a CRD file and waits until the API server serves it. */
    public static void applyCrd(ControlPlane plane, Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            var crd = plane.admin().apiextensions().v1().customResourceDefinitions().load(in).item();
            plane.admin().resource(crd).forceConflicts().serverSideApply();
            plane.admin().apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
                    .waitUntilCondition(c -> c != null && c.getStatus() != null && c.getStatus().getConditions() != null && c.getStatus().getConditions().stream()
                            .anyMatch(k -> "Established".equals(k.getType()) && "True".equals(k.getStatus())), 30, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Who holds the operator's leader-election Lease in the release namespace, if anyone. */
    public static Optional<String> leaseHolder(KubernetesClient admin) {
        Lease lease = admin.leases().inNamespace(NAMESPACE).withName(LEASE_NAME).get();
        return Optional.ofNullable(lease).map(l -> l.getSpec().getHolderIdentity()).filter(h -> !h.isBlank());
    }

    /** Kubernetes' $(VAR) expansion of an env value from the variables defined before it. */
    private static String expand(String value, Map<String, String> defined) {
        String out = value;
        for (var e : defined.entrySet()) {
            out = out.replace("$(" + e.getKey() + ")", e.getValue());
        }
        return out;
    }

    public ControlPlane plane() {
        return plane;
    }

    public String serviceAccount() {
        return serviceAccount;
    }

    /** The operator container's environment as the chart sets it. */
    public Map<String, String> env() {
        return env;
    }

    /** The operator container's memory limit as the chart sets it, which the JVM sizes its heap from. */
    public Optional<Long> memoryLimitBytes() {
        return memoryLimitBytes;
    }
}
