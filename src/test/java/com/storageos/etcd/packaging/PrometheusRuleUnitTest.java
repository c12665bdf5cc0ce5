package com.storageos.etcd.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The chart's alert rules, as rendered with every optional part on, under Prometheus's own rule unit tests
 * ({@code promtool test rules}, from Debian's {@code prometheus} package): each test file under
 * {@code src/test/resources/promtool/} feeds series and says which alerts fire, with which labels and text, and when.
 * Every alert is tested both firing and not firing.
 */
class PrometheusRuleUnitTest {
    private static final Path TESTS = Path.of("src", "test", "resources", "promtool");
    private static final Path WORK = Path.of("target", "promtool");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void everyAlertFiresAndStaysQuietAsItsTestsSay() throws Exception {
        Files.createDirectories(WORK);
        Object groups = HelmChart.withDefaults().withValuesFile(HelmChart.ALL_OPTIONAL_PARTS).render().single("PrometheusRule").get("spec", "groups");
        YAML.writeValue(WORK.resolve("rules.yaml").toFile(), Map.of("groups", groups));
        List<String> command = new ArrayList<>(List.of(promtool(), "test", "rules"));
        for (Path test : testFiles()) {
            Files.copy(test, WORK.resolve(test.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            command.add(test.getFileName().toString());
        }
        Process p = new ProcessBuilder(command).directory(WORK.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("promtool finished").isTrue();
        assertThat(p.exitValue()).as("promtool test rules in " + WORK + ":\n" + output).isZero();
    }

    @Test
    void everyAlertIsTestedFiringAndNotFiring() throws IOException {
        Set<String> alerts = new TreeSet<>();
        for (Map<String, Object> group : HelmChart.withDefaults().withValuesFile(HelmChart.ALL_OPTIONAL_PARTS).render()
                .single("PrometheusRule").getList("spec", "groups")) {
            ((List<?>) group.get("rules")).forEach(r -> alerts.add((String) RenderedManifests.map(r).get("alert")));
        }
        Set<String> firing = new TreeSet<>();
        Set<String> quiet = new TreeSet<>();
        for (Path test : testFiles()) {
            for (JsonNode t : YAML.readTree(test.toFile()).path("tests")) {
                for (JsonNode check : t.path("alert_rule_test")) {
                    (check.path("exp_alerts").isEmpty() ? quiet : firing).add(check.path("alertname").asText());
                }
            }
        }
        assertThat(alerts).as("alerts of the chart").hasSizeGreaterThan(15);
        assertThat(firing).as("alerts tested firing").containsAll(alerts);
        assertThat(quiet).as("alerts tested not firing").containsAll(alerts);
    }

    private static List<Path> testFiles() throws IOException {
        try (Stream<Path> files = Files.list(TESTS)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    /** promtool from the PATH; its absence fails the test with what to install, it never skips it. */
    private static String promtool() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "promtool");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new AssertionError("promtool is not on the PATH: the alert rules cannot be tested. Install Debian's prometheus"
                + " package (apt-get install prometheus, as .ci/run does) or Prometheus' release tarball, which both ship promtool");
    }
}
