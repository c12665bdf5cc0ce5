package com.storageos.etcd.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.packaging.RenderedManifests.Manifest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HelmChartDeploymentTest {

    private static final String IMAGE = "ghcr.io/storageos/etcd-operator:0.1.0";

    private final Manifest deployment = HelmChart.withDefaults().render().single("Deployment");
    private final Map<String, Object> container = deployment.getMap("spec", "template", "spec", "containers", 0);

    @Test
    void runsTwoReplicasOfTheOperatorImageTaggedWithTheAppVersion() {
        assertThat(deployment.get("spec", "replicas")).isEqualTo(2);
        assertThat(container.get("image")).isEqualTo(IMAGE);
        assertThat(deployment.get("spec", "template", "spec", "serviceAccountName")).isEqualTo("etcd-operator");
    }

    @Test
    void probesUseQuarkusHealthOnTheHttpPort() {
        assertThat(portNamed("http")).containsEntry("containerPort", 8080);
        assertThat(container).extractingByKey("livenessProbe").extracting("httpGet")
                .isEqualTo(Map.of("path", "/q/health/live", "port", "http"));
        assertThat(container).extractingByKey("readinessProbe").extracting("httpGet")
                .isEqualTo(Map.of("path", "/q/health/ready", "port", "http"));
    }

    @Test
    void containerSecurityContextIsRestricted() {
        Map<String, Object> security = RenderedManifests.map(container.get("securityContext"));

        assertThat(security).containsEntry("runAsNonRoot", true)
                .containsEntry("runAsUser", 10001)
                .containsEntry("readOnlyRootFilesystem", true)
                .containsEntry("allowPrivilegeEscalation", false)
                .containsEntry("capabilities", Map.of("drop", List.of("ALL")))
                .containsEntry("seccompProfile", Map.of("type", "RuntimeDefault"));
        assertThat(deployment.getMap("spec", "template", "spec", "securityContext"))
                .containsEntry("runAsNonRoot", true)
                .containsEntry("seccompProfile", Map.of("type", "RuntimeDefault"));
    }

    @Test
    void writableTmpIsAnEmptyDir() {
        assertThat(deployment.getList("spec", "template", "spec", "volumes"))
                .containsExactly(Map.of("name", "tmp", "emptyDir", Map.of()));
        assertThat(RenderedManifests.map(((List<?>) container.get("volumeMounts")).get(0)))
                .containsEntry("name", "tmp").containsEntry("mountPath", "/tmp");
    }

    @Test
    void environmentCarriesNamespaceWatchListAndToolImage() {
        assertThat(env("POD_NAMESPACE")).isEmpty();
        assertThat(envEntry("POD_NAMESPACE")).extractingByKey("valueFrom")
                .isEqualTo(Map.of("fieldRef", Map.of("fieldPath", "metadata.namespace")));
        assertThat(env("WATCH_NAMESPACES")).contains("JOSDK_ALL_NAMESPACES");
        assertThat(env("QUARKUS_OPERATOR_SDK_NAMESPACES")).contains("$(WATCH_NAMESPACES)");
        assertThat(env("ETCD_OPERATOR_OPERATOR_IMAGE")).contains(IMAGE);
    }

    @Test
    void watchNamespacesAreJoinedForTheOperatorSdk() {
        Manifest namespaced = HelmChart.withDefaults().withValuesFile(HelmChart.ALL_OPTIONAL_PARTS).render()
                .single("Deployment");
        List<Map<String, Object>> env = namespaced.getList("spec", "template", "spec", "containers", 0, "env");

        assertThat(env).contains(Map.of("name", "WATCH_NAMESPACES", "value", "team-a,team-b"));
    }

    @Test
    void logLevelAndJsonLogsAreChartValues() {
        assertThat(env("QUARKUS_LOG_LEVEL")).contains("INFO");
        assertThat(env("QUARKUS_LOG_CONSOLE_JSON_ENABLED")).contains("false");
        Manifest json = HelmChart.withDefaults().set("logging.level", "DEBUG").set("logging.json", true).render().single("Deployment");
        assertThat(json.getList("spec", "template", "spec", "containers", 0, "env"))
                .contains(Map.of("name", "QUARKUS_LOG_LEVEL", "value", "DEBUG"), Map.of("name", "QUARKUS_LOG_CONSOLE_JSON_ENABLED", "value", "true"));
    }

    @Test
    void imageTagOverridesTheAppVersion() {
        Manifest tagged = HelmChart.withDefaults().set("image.tag", "dev").render().single("Deployment");

        assertThat(tagged.get("spec", "template", "spec", "containers", 0, "image"))
                .isEqualTo("ghcr.io/storageos/etcd-operator:dev");
    }

    @Test
    void metricsServiceSelectsTheOperatorPodsOnTheHttpPort() {
        Manifest service = HelmChart.withDefaults().render().single("Service");

        assertThat(service.getList("spec", "ports")).singleElement()
                .satisfies(port -> assertThat(port).containsEntry("targetPort", "http").containsEntry("port", 8080));
        assertThat(service.getMap("spec", "selector"))
                .isEqualTo(deployment.getMap("spec", "selector", "matchLabels"));
    }

    private Map<String, Object> portNamed(String name) {
        return RenderedManifests.map(((List<?>) container.get("ports")).stream()
                .map(RenderedManifests::map).filter(p -> name.equals(p.get("name"))).findFirst().orElseThrow());
    }

    private Map<String, Object> envEntry(String name) {
        return RenderedManifests.map(((List<?>) container.get("env")).stream().map(RenderedManifests::map)
                .filter(e -> name.equals(e.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no env " + name)));
    }

    private Optional<Object> env(String name) {
        return Optional.ofNullable(envEntry(name).get("value"));
    }
}
