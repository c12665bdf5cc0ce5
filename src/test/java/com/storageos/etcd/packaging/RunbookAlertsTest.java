package com.storageos.etcd.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * docs/runbook.md has one section per alert of the chart under "## Alerts", headed by the alert's name, and no
 * other; every alert's runbook_url points at its own section (GitHub's anchor: the heading in lower case).
 */
class RunbookAlertsTest {
    private static final String BASE = "https://github.com/storageos/etcd-operator/blob/main/docs/runbook.md";

    private final RenderedManifests.Manifest rule =
            HelmChart.withDefaults().withValuesFile(HelmChart.ALL_OPTIONAL_PARTS).render().single("PrometheusRule");

    @Test
    void everyAlertHasARunbookSectionAndEverySectionAnAlert() throws IOException {
        Set<String> alerts = new TreeSet<>();
        for (Map<String, Object> group : rule.getList("spec", "groups")) {
            ((List<?>) group.get("rules")).forEach(r -> alerts.add((String) RenderedManifests.map(r).get("alert")));
        }

        assertThat(alertSections()).as("'### ' sections under '## Alerts' in docs/runbook.md").isEqualTo(alerts);
    }

    @Test
    void everyAlertLinksToItsSection() {
        for (Map<String, Object> group : rule.getList("spec", "groups")) {
            for (Object r : (List<?>) group.get("rules")) {
                Map<String, Object> alert = RenderedManifests.map(r);
                assertThat(RenderedManifests.map(alert.get("annotations")).get("runbook_url")).as("runbook_url of " + alert.get("alert"))
                        .isEqualTo(BASE + "#" + ((String) alert.get("alert")).toLowerCase());
            }
        }
    }

    private static Set<String> alertSections() throws IOException {
        Set<String> sections = new TreeSet<>();
        boolean inAlerts = false;
        for (String line : Files.readAllLines(Path.of("docs", "runbook.md"))) {
            if (line.startsWith("## ")) {
                inAlerts = line.equals("## Alerts");
            } else if (inAlerts && line.startsWith("### ")) {
                sections.add(line.substring(4).trim());
            }
        }
        return sections;
    }
}
