package com.storageos.etcd.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * deploy/operator.yaml is the chart rendered with default values, for users without Helm.
 * Regenerate it with {@code hack/update-deploy.sh}, which runs this test with {@code -Ddeploy.update=true}.
 */
class DeployManifestSyncTest {

    static final Path DEPLOY_MANIFEST = Path.of("deploy", "operator.yaml");

    private static final String HEADER = """
            # The etcd operator for StorageOS, for clusters without Helm:
            #   kubectl apply --server-side -f deploy/operator.yaml
            # GENERATED from helm/etcd-operator with default values by hack/update-deploy.sh. Do not edit.
            ---
            apiVersion: v1
            kind: Namespace
            metadata:
              name: %s
            """.formatted(HelmChart.RELEASE_NAMESPACE);

    /** Like {@code helm template --include-crds}: the chart's CRDs first, then its templates. */
    static String expectedContent() {
        StringBuilder content = new StringBuilder(HEADER);
        for (Path crd : ChartCrds.files(HelmChart.CHART_DIR.resolve("crds"))) {
            content.append("---\n# Source: etcd-operator/crds/").append(crd.getFileName()).append('\n')
                    .append(ChartCrds.read(crd));
        }
        return content.append(HelmChart.withDefaults().renderText()).toString();
    }

    @Test
    void deployManifestIsTheChartRenderedWithDefaults() throws IOException {
        String expected = expectedContent();
        if (Boolean.getBoolean("deploy.update")) {
            Files.createDirectories(DEPLOY_MANIFEST.getParent());
            Files.writeString(DEPLOY_MANIFEST, expected, StandardCharsets.UTF_8);
        }

        assertThat(DEPLOY_MANIFEST).as("run hack/update-deploy.sh to regenerate it").exists();
        assertThat(Files.readString(DEPLOY_MANIFEST, StandardCharsets.UTF_8))
                .as("%s is out of date with the chart: run hack/update-deploy.sh", DEPLOY_MANIFEST)
                .isEqualTo(expected);
    }

    @Test
    void deployManifestInstallsIntoItsOwnNamespace() {
        RenderedManifests manifests = RenderedManifests.parse(expectedContent());

        assertThat(manifests.find("Namespace", HelmChart.RELEASE_NAMESPACE)).isPresent();
        assertThat(manifests.single("Deployment").namespace()).isEqualTo(HelmChart.RELEASE_NAMESPACE);
    }
}
