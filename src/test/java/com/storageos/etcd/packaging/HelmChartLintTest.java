package com.storageos.etcd.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class HelmChartLintTest {

    @Test
    void chartPassesStrictLint() {
        LintResult result = HelmChart.withDefaults().lintStrict();

        assertThat(result.isFailed()).as("helm lint --strict: %s", result.getMessages()).isFalse();
    }

    @Test
    void chartRendersWithDefaultValues() {
        RenderedManifests rendered = HelmChart.withDefaults().render();

        assertThat(rendered.all()).extracting(RenderedManifests.Manifest::kind)
                .contains("ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding",
                        "Deployment", "Service")
                .doesNotContain("ServiceMonitor", "PrometheusRule", "ConfigMap");
    }

    @Test
    void chartRendersWithEveryOptionalPartOn() {
        RenderedManifests rendered = HelmChart.withDefaults()
                .withValuesFile(HelmChart.ALL_OPTIONAL_PARTS)
                .set("storageos.sync.enabled", false)
                .render();

        assertThat(rendered.all()).extracting(RenderedManifests.Manifest::kind)
                .contains("ServiceMonitor", "PrometheusRule", "ConfigMap", "Deployment", "Role", "RoleBinding");
    }

    @Test
    void notesTellTheUserHowToCreateAndWatchAFirstCluster() throws IOException {
        String notes = Files.readString(HelmChart.CHART_DIR.resolve("templates").resolve("NOTES.txt"));

        assertThat(notes).contains("kind: EtcdCluster", "get etcdcluster -w",
                "wait --for=condition=Ready etcdcluster/storageos-etcd");
    }
}
