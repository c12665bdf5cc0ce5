package com.storageos.etcd.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The operator image: multi-stage, pinned, non-root, fast-jar, arguments passed through to the tool modes. */
class DockerfileTest {

    private static final Path DOCKERFILE = Path.of("Dockerfile");

    private final List<String> instructions = DockerfileInstructions.read(DOCKERFILE);

    @Test
    void isMultiStageWithPinnedBaseImages() {
        List<String> froms = arguments("FROM");

        assertThat(froms).hasSizeGreaterThanOrEqualTo(2);
        assertThat(froms).allSatisfy(from -> {
            String image = from.split("\\s+")[0];
            assertThat(image).as("base image %s has a tag", image).contains(":").doesNotEndWith(":latest");
            assertThat(image.substring(image.lastIndexOf(':') + 1)).as("tag of %s pins a version", image)
                    .matches(".*\\d+\\.\\d+.*");
        });
        assertThat(froms.get(0)).containsIgnoringCase(" AS build");
    }

    @Test
    void buildStagePackagesTheFastJarWithTheMavenWrapper() {
        assertThat(arguments("RUN")).anySatisfy(run -> assertThat(run).contains("./mvnw -B -DskipTests package"));
        assertThat(arguments("COPY")).anySatisfy(copy -> assertThat(copy)
                .contains("--from=build").contains("target/quarkus-app/"));
    }

    @Test
    void buildsAndRunsOnTheJavaTheBuildTargets() throws IOException {
        String release = JavaRelease.ofPom();

        List<String> javaImages = arguments("FROM").stream().filter(from -> from.startsWith("eclipse-temurin:")).toList();
        assertThat(javaImages).as("the build's JDK and the runtime's JRE").hasSize(2)
                .allSatisfy(from -> assertThat(from).startsWith("eclipse-temurin:" + release + "."));
    }

    @Test
    void runsAsANumericNonRootUser() {
        String user = last("USER").orElseThrow(() -> new AssertionError("no USER instruction"));

        assertThat(user).matches("\\d+(:\\d+)?");
        assertThat(Integer.parseInt(user.split(":")[0])).isEqualTo(10001);
    }

    @Test
    void entrypointRunsTheFastJarAndPassesArgumentsThrough() throws IOException {
        String entrypoint = last("ENTRYPOINT").orElseThrow(() -> new AssertionError("no ENTRYPOINT"));

        assertThat(entrypoint).as("exec form, so that `tool ...` arguments are appended").startsWith("[");
        List<String> argv = new ObjectMapper().readValue(entrypoint, new TypeReference<>() { });
        assertThat(argv.get(0)).isEqualTo("java");
        assertThat(argv.subList(argv.size() - 2, argv.size())).containsExactly("-jar", "/deployments/quarkus-run.jar");
        assertThat(last("CMD")).as("a CMD would become default arguments of the operator mode").isEmpty();
    }

    @Test
    void dockerignoreKeepsBuildOutputOutOfTheContext() throws IOException {
        List<String> ignored = Files.readAllLines(Path.of(".dockerignore"));

        assertThat(ignored).contains("**/target/");
    }

    private List<String> arguments(String keyword) {
        return instructions.stream()
                .filter(line -> line.regionMatches(true, 0, keyword + " ", 0, keyword.length() + 1))
                .map(line -> line.substring(keyword.length() + 1).trim())
                .toList();
    }

    private Optional<String> last(String keyword) {
        List<String> found = arguments(keyword);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(found.size() - 1));
    }
}
