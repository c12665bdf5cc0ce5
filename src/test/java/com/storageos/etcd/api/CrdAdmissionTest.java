package com.storageos.etcd.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checks the committed CRD and the manifests under deploy/examples the way a Kubernetes 1.26 API server
 * would admit them: defaulting, the OpenAPI keywords the schema uses, and every x-kubernetes-validations
 * rule, evaluated with CEL-Java. Examples under invalid/ must be refused with the message in their
 * {@code # expect:} comment; the others must be accepted, and accepted again when re-applied unchanged.
 */
class CrdAdmissionTest {
    static final Path EXAMPLES = Path.of("deploy", "examples");
    static final Path INVALID_EXAMPLES = EXAMPLES.resolve("invalid");

    static OfflineAdmission apiServer;

    @BeforeAll
    static void loadCrd() throws IOException {
        apiServer = new OfflineAdmission(CrdDriftTest.COMMITTED, "v1alpha1");
    }

    static Stream<AdmissionExample> validExamples() throws IOException {
        return yamlFiles(EXAMPLES);
    }

    static Stream<AdmissionExample> invalidExamples() throws IOException {
        return yamlFiles(INVALID_EXAMPLES);
    }

    static Stream<AdmissionExample> transitionExamples() throws IOException {
        return invalidExamples().filter(AdmissionExample::transition);
    }

    private static Stream<AdmissionExample> yamlFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().map(AdmissionExample::read).toList().stream();
        }
    }

    @Test
    void everyRuleIsOneKubernetes126Accepts() {
        assertThat(apiServer.rules.problems()).as("rules a 1.26 API server would refuse").isEmpty();
    }

    @Test
    void theSchemaUsesOnlyKeywordsThisCheckUnderstands() {
        assertThat(apiServer.openApi.unsupportedKeywords()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validExamples")
    void validExampleIsAcceptedAndCanBeReapplied(AdmissionExample example) {
        assertThat(example.expect()).as("a valid example has no # expect:").isEmpty();
        assertThat(example.documents()).as("a valid example is one object").hasSize(1);
        assertThat(apiServer.create(example.object())).as("create").isEmpty();
        assertThat(apiServer.update(example.object(), example.object())).as("identical update").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidExamples")
    void invalidExampleIsRefusedWithItsExpectedMessage(AdmissionExample example) {
        String expected = example.expect().orElseThrow(() -> new AssertionError(example + " has no # expect: line"));
        assertThat(example.documents()).as("documents (# transition: examples have the stored object first)")
                .hasSize(example.transition() ? 2 : 1);
        List<SchemaViolation> violations = example.transition()
                ? apiServer.update(example.stored(), example.object())
                : apiServer.create(example.object());

        assertThat(violations).extracting(SchemaViolation::message).contains(expected);
        String path = violations.stream().filter(v -> v.message().equals(expected)).findFirst().orElseThrow().path();
        assertThat(violations).as("the example fails only at %s", path)
                .allMatch(v -> v.path().equals(path) || v.equals(OfflineAdmission.RULES_NOT_CHECKED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transitionExamples")
    void storedObjectOfATransitionExampleIsValidOnItsOwn(AdmissionExample example) {
        assertThat(apiServer.create(example.stored())).as("create").isEmpty();
        assertThat(apiServer.update(example.stored(), example.stored())).as("identical update").isEmpty();
    }

    @Test
    void everyRuleHasAnInvalidExample() throws IOException {
        List<String> expected = invalidExamples().flatMap(e -> e.expect().stream()).toList();
        assertThat(expected).as("invalid examples").hasSizeGreaterThanOrEqualTo(12);
        assertThat(expected).containsAll(apiServer.rules.messages());
    }
}
