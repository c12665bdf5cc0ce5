package com.storageos.etcd.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The workflows call the same commands a developer runs: ./mvnw -B verify, hack/e2e.sh, helm package. */
class GithubWorkflowsTest {

    private static final Path WORKFLOWS = Path.of(".github", "workflows");

    @Test
    void ciRunsTheFullMavenBuild() throws IOException {
        String release = JavaRelease.ofPom();
        assertThat(read("ci.yml")).contains("run: ./mvnw -B verify").contains("java-version: \"" + release + "\"");
    }

    @Test
    void e2eRunsTheDocumentedScript() throws IOException {
        assertThat(read("e2e.yml")).contains("run: hack/e2e.sh");
        assertThat(Path.of("hack", "e2e.sh")).isExecutable();
        assertThat(Files.readString(Path.of("hack", "e2e.sh")))
                .contains("kind load docker-image", "helm install", "--for=condition=Ready",
                        "--replicas=5", "--replicas=3", "delete pod", "helm uninstall");
    }

    @Test
    void releaseBuildsBothArchitecturesAndPackagesTheChart() throws IOException {
        assertThat(read("release.yml")).contains("platforms: linux/amd64,linux/arm64", "ghcr.io",
                "helm package helm/etcd-operator");
    }

    private static String read(String workflow) throws IOException {
        return Files.readString(WORKFLOWS.resolve(workflow));
    }
}
