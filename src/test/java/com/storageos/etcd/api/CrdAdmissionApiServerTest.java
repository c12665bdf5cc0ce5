package com.storageos.etcd.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.storageos.etcd.testing.kube.ControlPlane;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Admits the committed CRD and the manifests under deploy/examples on a real Kubernetes 1.26 API server:
 * it compiles and cost-checks every x-kubernetes-validations rule when the CRD is created, then defaults,
 * prunes and validates each example exactly as a cluster would. Examples under invalid/ must be refused
 * with the message in their {@code # expect:} comment; the others accepted, and accepted again unchanged.
 */
class CrdAdmissionApiServerTest {
    static final Path EXAMPLES = Path.of("deploy", "examples");
    static final Path INVALID_EXAMPLES = EXAMPLES.resolve("invalid");
    /** The cause the API server adds when a schema error stops it from running the CEL rules: not a second failure. */
    private static final String RULES_NOT_CHECKED_FIELD = "<nil>";

    static ControlPlane plane;
    static ResourceDefinitionContext etcdClusters;
    static Map<String, Object> committedCrd;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void applyCommittedCrd() throws IOException {
        committedCrd = new ObjectMapper(new YAMLFactory()).readValue(CrdDriftTest.COMMITTED.toFile(), Map.class);
        plane = ControlPlane.start(false);
        var crds = plane.admin().apiextensions().v1().customResourceDefinitions();
        CustomResourceDefinition crd = crds.load(CrdDriftTest.COMMITTED.toFile()).item();
        // A rule that does not compile with 1.26's CEL libraries, or exceeds the cost budget, fails this create.
        crds.resource(crd).create();
        // The server writes the CRD's status before its conditions: a status without conditions is not yet an answer.
        crds.withName(crd.getMetadata().getName()).waitUntilCondition(c -> c != null && c.getStatus() != null
                && c.getStatus().getConditions() != null && c.getStatus().getConditions().stream().anyMatch(s -> "Established".equals(s.getType()) && "True".equals(s.getStatus())),
                30, TimeUnit.SECONDS);
        etcdClusters = CustomResourceDefinitionContext.fromCrd(crd);
    }

    @AfterAll
    static void stop() {
        if (plane != null) {
            plane.close();
        }
    }

    static Stream<AdmissionExample> validExamples() throws IOException {
        return yamlFiles(EXAMPLES);
    }

    static Stream<AdmissionExample> invalidExamples() throws IOException {
        return yamlFiles(INVALID_EXAMPLES);
    }

    private static Stream<AdmissionExample> yamlFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().map(AdmissionExample::read).toList().stream();
        }
    }

    /** A 1.26 server silently drops schema keys it does not know (say a later release's rule fields); that would disable them. */
    @Test
    @SuppressWarnings("unchecked")
    void theServerKeepsTheSchemaAsCommitted() throws IOException {
        CustomResourceDefinition stored = plane.admin().apiextensions().v1().customResourceDefinitions()
                .withName(etcdClusters.getPlural() + "." + etcdClusters.getGroup()).get();
        Object committedVersions = ((Map<String, Object>) committedCrd.get("spec")).get("versions");
        // Both through JSON text, so that numbers compare by value rather than by Java type.
        String storedVersions = plane.admin().getKubernetesSerialization().asJson(stored.getSpec().getVersions());
        assertThat(schemas(storedVersions)).isEqualTo(schemas(plane.admin().getKubernetesSerialization().asJson(committedVersions)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validExamples")
    void validExampleIsAcceptedAndCanBeReapplied(AdmissionExample example) {
        assertThat(example.expect()).as("a valid example has no # expect:").isEmpty();
        assertThat(example.documents()).as("a valid example is one object").hasSize(1);
        var clusters = inFreshNamespace(example);
        GenericKubernetesResource created = clusters.resource(resource(example.object())).create();
        // Re-applying runs the transition rules with oldSelf = the defaulted stored object.
        GenericKubernetesResource again = clusters.resource(withVersionOf(created, example.object())).update();
        assertThat(again.getMetadata().getResourceVersion()).as("an unchanged manifest writes nothing")
                .isEqualTo(created.getMetadata().getResourceVersion());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidExamples")
    void invalidExampleIsRefusedWithItsExpectedMessage(AdmissionExample example) {
        String expected = example.expect().orElseThrow(() -> new AssertionError(example + " has no # expect: line"));
        assertThat(example.documents()).as("documents (# transition: examples have the stored object first)")
                .hasSize(example.transition() ? 2 : 1);
        var clusters = inFreshNamespace(example);
        KubernetesClientException refusal;
        if (example.transition()) {
            // The stored object must be valid on its own, or the example would test the wrong thing.
            GenericKubernetesResource stored = store(clusters, example.stored());
            refusal = catchThrowableOfType(KubernetesClientException.class,
                    () -> clusters.resource(withVersionOf(stored, example.object())).update());
        } else {
            refusal = catchThrowableOfType(KubernetesClientException.class, () -> clusters.resource(resource(example.object())).create());
        }

        assertThat(refusal).as("%s was accepted by the API server", example).isNotNull();
        assertThat(refusal.getCode()).as("HTTP status of: %s", refusal.getMessage()).isEqualTo(422);
        assertThat(refusal.getStatus().getMessage()).contains(expected);
        // One example, one broken field: the other causes (a schema error and a rule on the same field) must agree.
        List<StatusCause> causes = refusal.getStatus().getDetails().getCauses();
        // A cause's message lacks the field name that the overall message puts in front of it.
        String field = causes.stream().filter(c -> (c.getField() + ": " + c.getMessage()).contains(expected)).findFirst()
                .orElseThrow(() -> new AssertionError("no cause says " + expected + ": " + causes)).getField();
        assertThat(causes).as("the example fails only at %s", field)
                .allMatch(c -> field.equals(c.getField()) || RULES_NOT_CHECKED_FIELD.equals(c.getField()));
    }

    /** A stored object with a status gets it through the status subresource, as the operator writes it; a create drops it. */
    private static GenericKubernetesResource store(NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList,
            Resource<GenericKubernetesResource>> clusters, Map<String, Object> manifest) {
        GenericKubernetesResource created = clusters.resource(resource(manifest)).create();
        if (!manifest.containsKey("status")) {
            return created;
        }
        created.setAdditionalProperty("status", manifest.get("status"));
        return clusters.resource(created).updateStatus();
    }

    @Test
    void aClusterWhoseMembersAllRun3526OrLaterMovesTo36AndANewClusterMayStartThere() {
        var clusters = namespace("upgrade-to-3-6");
        Map<String, Object> at3530 = Map.of("apiVersion", "etcd.storageos.com/v1alpha1", "kind", "EtcdCluster",
                "metadata", Map.of("name", "upgraded"), "spec", Map.of("version", "3.5.30"), "status", Map.of("currentVersion", "3.5.26"));
        GenericKubernetesResource stored = store(clusters, at3530);
        GenericKubernetesResource moved = clusters.resource(withVersionOf(stored,
                Map.of("apiVersion", "etcd.storageos.com/v1alpha1", "kind", "EtcdCluster", "metadata", Map.of("name", "upgraded"),
                        "spec", Map.of("version", "3.6.0")))).update();
        assertThat(moved.getAdditionalProperties()).extracting("spec").extracting("version").isEqualTo("3.6.0");
        GenericKubernetesResource created = clusters.resource(resource(Map.of("apiVersion", "etcd.storageos.com/v1alpha1", "kind", "EtcdCluster",
                "metadata", Map.of("name", "new-at-3-6"), "spec", Map.of("version", "3.6.0")))).create();
        assertThat(created.getAdditionalProperties()).extracting("spec").extracting("version").isEqualTo("3.6.0");
    }

    /** The real server proves each rule refuses what it should only when an example breaks it. */
    @Test
    void everyRuleHasAnInvalidExample() throws IOException {
        List<String> expected = invalidExamples().flatMap(e -> e.expect().stream()).toList();
        List<String> ruleMessages = new ArrayList<>();
        collectRuleMessages(committedCrd, ruleMessages);
        assertThat(ruleMessages).as("rule messages in the CRD").hasSizeGreaterThanOrEqualTo(9);
        assertThat(expected).containsAll(ruleMessages);
    }

    private NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>>
            inFreshNamespace(AdmissionExample example) {
        // One namespace per file: the examples all name storageos-etcd and carry no namespace (kubectl apply -n).
        String prefix = example.file().getParent().endsWith("invalid") ? "invalid-" : "valid-";
        return namespace(prefix + example.toString().replace(".yaml", ""));
    }

    private NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>>
            namespace(String namespace) {
        plane.admin().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
        return plane.admin().genericKubernetesResources(etcdClusters).inNamespace(namespace);
    }

    private static GenericKubernetesResource resource(Map<String, Object> manifest) {
        return plane.admin().getKubernetesSerialization().convertValue(manifest, GenericKubernetesResource.class);
    }

    /** The manifest as sent by an update: unchanged but for the stored resourceVersion, which an update must carry. */
    private static GenericKubernetesResource withVersionOf(GenericKubernetesResource stored, Map<String, Object> manifest) {
        GenericKubernetesResource update = resource(manifest);
        update.getMetadata().setResourceVersion(stored.getMetadata().getResourceVersion());
        return update;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> schemas(String versionsJson) throws IOException {
        List<Map<String, Object>> versions = new ObjectMapper().readValue(versionsJson, List.class);
        return versions.stream().map(v -> v.get("schema")).toList();
    }

    @SuppressWarnings("unchecked")
    private static void collectRuleMessages(Object node, List<String> messages) {
        if (node instanceof Map<?, ?> map) {
            for (Object rule : (List<Object>) ((Map<String, Object>) map).getOrDefault("x-kubernetes-validations", List.of())) {
                Map<String, Object> entry = (Map<String, Object>) rule;
                messages.add(entry.get("message") instanceof String m ? m : "failed rule: " + entry.get("rule"));
            }
            map.values().forEach(child -> collectRuleMessages(child, messages));
        } else if (node instanceof List<?> list) {
            list.forEach(child -> collectRuleMessages(child, messages));
        }
    }
}
