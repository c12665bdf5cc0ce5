package com.storageos.etcd.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.packaging.ClientUsageScanner.ClientUsage;
import com.storageos.etcd.packaging.ClientUsageScanner.ScanResult;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The scanner behind {@link OperatorRbacCoverageTest}, on made-up operator code. */
class ClientUsageScannerTest {

    private static final String OPERATOR_CODE = """
            package com.example.op;

            import io.fabric8.kubernetes.api.model.ConfigMap;
            import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
            import io.fabric8.kubernetes.api.model.Pod;
            import io.fabric8.kubernetes.api.model.apps.Deployment;
            import io.fabric8.kubernetes.api.model.apps.StatefulSet;
            import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
            import io.javaoperatorsdk.operator.api.reconciler.*;

            @ControllerConfiguration
            class ExampleReconciler implements Reconciler<Deployment> {
                void act(PersistentVolumeClaim claim) {
                    // client.secrets().delete() in a comment does not count
                    String text = ".configMaps().delete()";
                    client.apps().statefulSets().inNamespace(ns).withName(name)
                        .get();
                    client.pods().inNamespace(ns).withName(name).delete();
                    client.pods().inNamespace(ns).withName(name).subresource("status").patch(context, json);
                    client.resource(claim).patch();
                    client.resource(new ConfigMap()).serverSideApply();
                    client.resources(StatefulSet.class).inNamespace(ns).withName(name).patchStatus();
                    client.policy().v1().podDisruptionBudgets().inNamespace(ns).resource(pdb).create();
                    client.events().v1().events().inNamespace(ns).resource(event).create();
                    client.batch().v1().cronjobs().inNamespace(ns).list();
                    client.resource(build()).delete();
                    var source = InformerEventSourceConfiguration.from(Pod.class, Deployment.class).build();
                }
            }
            """;

    private final ScanResult result = ClientUsageScanner.scan(List.of(JavaSourceFile.of("Example.java", OPERATOR_CODE)));

    @Test
    void findsTypedDslChainsWithTheirVerbs() {
        assertThat(verbsByResource()).containsEntry("apps/statefulsets", Set.of("get"))
                .containsEntry("core/pods", new TreeSet<>(Set.of("delete", "get", "list", "watch")))
                .containsEntry("policy/poddisruptionbudgets", Set.of("create"))
                .containsEntry("events.k8s.io/events", Set.of("create"))
                .containsEntry("batch/cronjobs", Set.of("list"));
    }

    @Test
    void callsAfterTheStatusSubresourceNeedTheVerbOnTheStatusOnly() {
        assertThat(verbsByResource()).containsEntry("core/pods/status", Set.of("patch"));
        assertThat(verbsByResource().get("core/pods")).doesNotContain("patch");
    }

    @Test
    void resolvesResourceObjectsAndClassesThroughTheFabric8Model() {
        assertThat(verbsByResource()).containsEntry("core/persistentvolumeclaims", Set.of("patch"))
                .containsEntry("core/configmaps", new TreeSet<>(Set.of("create", "patch")))
                .containsEntry("apps/statefulsets/status", Set.of("patch"));
    }

    @Test
    void findsTheReconcilerPrimaryWithStatusAndFinalizers() {
        assertThat(verbsByResource())
                .containsEntry("apps/deployments", new TreeSet<>(Set.of("get", "list", "patch", "update", "watch")))
                .containsEntry("apps/deployments/status", new TreeSet<>(Set.of("get", "patch", "update")))
                .containsEntry("apps/deployments/finalizers", Set.of("update"));
    }

    @Test
    void ignoresCommentsAndStringsAndReportsWhatItCannotResolve() {
        assertThat(verbsByResource()).doesNotContainKey("core/secrets");
        assertThat(verbsByResource().get("core/configmaps")).doesNotContain("delete");
        assertThat(result.unresolved()).containsExactly("Example.java: resource(build())");
    }

    @Test
    void requiresGetOnEverythingButEvents() {
        assertThat(OperatorRbacCoverageTest.requiredVerbs(
                new ClientUsage(KubeResource.core("pods"), Set.of("delete"), "x"))).containsExactly("delete", "get");
        assertThat(OperatorRbacCoverageTest.requiredVerbs(
                new ClientUsage(KubeResource.core("events"), Set.of(), "x"))).containsExactly("create");
    }

    private Map<String, Set<String>> verbsByResource() {
        return result.usages().stream().collect(Collectors.groupingBy(u -> u.resource().toString(), TreeMap::new,
                Collectors.flatMapping(u -> u.verbs().stream(), Collectors.toCollection(TreeSet::new))));
    }
}
